package io.tradestate.reader;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which start failures the agent waits out (the database cannot be reached) and which stop it at once (the database
 * refuses it), as the pool and Flyway wrap them.
 */
class ReaderAgentStartTest
{
    @Test
    void shouldWaitForAnUnreachableServer()
    {
        assertTrue(ReaderAgent.isConnectionFailure(new RuntimeException("Unable to obtain connection",
            new SQLTransientConnectionException("Connection is not available, request timed out after 2001ms"))));
        assertTrue(ReaderAgent.isConnectionFailure(new RuntimeException(
            new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))));
        assertTrue(ReaderAgent.isConnectionFailure(new RuntimeException(
            new SQLException("the database system is starting up", "57P03"))));
    }

    @Test
    void shouldStopAtOnceWhenTheServerRefusesTheAgent()
    {
        assertFalse(ReaderAgent.isConnectionFailure(new RuntimeException(new SQLTransientConnectionException(
            "Connection is not available", new SQLException("password authentication failed", "28P01")))));
        assertFalse(ReaderAgent.isConnectionFailure(new RuntimeException(new SQLTransientConnectionException(
            "Connection is not available", new SQLException("database \"x\" does not exist", "3D000")))));
        assertFalse(ReaderAgent.isConnectionFailure(new IllegalStateException(
            "The database schema is at version 9, newer than this agent knows")));
    }
}
