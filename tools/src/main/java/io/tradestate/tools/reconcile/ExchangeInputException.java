package io.tradestate.tools.reconcile;

/**
 * The exchange's input cannot be reconciled: a line of a dump that is not JSON, an object of no known shape, a
 * field of the wrong type, a number the journal cannot hold, a duplicate id. The message names where (the line,
 * or the id given through the API) and the field.
 */
public final class ExchangeInputException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * An input error.
     *
     * @param where   {@code line 12}, or the record given through the API.
     * @param message what is wrong, naming the field.
     */
    public ExchangeInputException(final String where, final String message)
    {
        super(where + ": " + message);
    }
}
