/**
 * Internal: how every TradeState process treats the host's files. {@link io.tradestate.files.FileAccess} gives the
 * folders and files it creates (journals, state maps, the agent's own) their group and owner-and-group-only modes;
 * {@link io.tradestate.files.ChronicleDefaults} sets, before Chronicle loads, the properties that stop Chronicle
 * Queue and Map reaching the network, printing a banner or running a disk monitor while they map those files.
 * <p>
 * Why here: the writer agent (journals), the reader agent (state folder, journal root, password files) and the tools
 * all need them, and none of them is something a strategy calls. They lived in the writer agent as public classes
 * only so the other modules could reach them; this small internal module, which both agents already depend on for
 * the state maps' format, is their one home without a module of their own. A package apart from
 * {@code io.tradestate.state}, because they are about files in general, the journal's as much as the maps'.
 */
package io.tradestate.files;
