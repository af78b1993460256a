package io.tradestate.reader.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code status --json}: one JSON object, a member per figure of the table, an index never written as null, a source
 * id or a folder escaped as JSON wants.
 */
class StatusCommandTest
{
    @Test
    void shouldWriteOneJsonObjectWithEveryFigureOfTheTable() throws Exception
    {
        final String json = StatusCommand.json(List.of(new SourceLag("alpha", 0x1234, 0x1200, 250, 52, 17, 1),
            new SourceLag("beta", -1, -1, 0, 0, 0, 0)), List.of("bad \"name\""), Paths.get("/var/journal"));

        final JsonNode status = new ObjectMapper().readTree(json);
        assertEquals(2, status.get("sources").size(), json);
        final JsonNode alpha = status.get("sources").get(0);
        assertEquals("alpha", alpha.get("source").asText());
        assertEquals(0x1234, alpha.get("lastAppendedIndex").asLong());
        assertEquals(0x1200, alpha.get("lastCommittedIndex").asLong());
        assertEquals(250, alpha.get("eventsCommitted").asLong());
        assertEquals(52, alpha.get("lagEvents").asLong());
        assertEquals(17, alpha.get("lagMs").asLong());
        assertEquals(1, alpha.get("deadLetters").asLong());
        assertTrue(status.get("sources").get(1).get("lastAppendedIndex").isNull(), json);
        assertTrue(status.get("sources").get(1).get("lastCommittedIndex").isNull(), json);
        assertEquals("/var/journal/bad \"name\"", status.get("refusedFolders").get(0).get("folder").asText());
        assertTrue(status.get("refusedFolders").get(0).get("reason").asText()
            .startsWith("its name is not a source id"), json);
        assertEquals(-1, json.indexOf('\n'), "one line");
    }
}
