package io.tradestate.codecs.event;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link JournalMessage} describes the schema it claims to: every message of the XML, every field in schema order
 * with its kind, its version and, for an enum, its number of values. A field added to the schema without its line in
 * {@link JournalMessage} fails here.
 */
class JournalMessageSchemaTest
{
    private static final String SCHEMA = "/io/tradestate/codecs/tradestate-codecs.xml";

    @Test
    void shouldDescribeEveryMessageAndFieldOfTheSchemaInSchemaOrder() throws Exception
    {
        final Document schema = parse();
        final Map<String, Integer> enumValues = enumValueCounts(schema);
        final NodeList messages = schema.getElementsByTagNameNS("*", "message");
        assertEquals(JournalMessage.values().length, messages.getLength());

        for (int m = 0; m < messages.getLength(); m++)
        {
            final Element xmlMessage = (Element)messages.item(m);
            final JournalMessage message = JournalMessage.of(Integer.parseInt(xmlMessage.getAttribute("id")));
            assertNotNull(message, "no JournalMessage of id " + xmlMessage.getAttribute("id"));
            assertEquals(xmlMessage.getAttribute("name"), message.messageName());

            final List<Element> xmlFields = children(xmlMessage);
            assertEquals(xmlFields.size(), message.fieldCount(), message.messageName() + " field count");
            for (int f = 0; f < xmlFields.size(); f++)
            {
                final Element xmlField = xmlFields.get(f);
                final JournalField field = message.field(f);
                final String where = message.messageName() + "." + xmlField.getAttribute("name");
                assertEquals(xmlField.getAttribute("name"), field.name(), where + " at " + f);
                assertEquals(f, field.position(), where);
                assertEquals(expectedKind(xmlField), field.kind(), where);
                final String since = xmlField.getAttribute("sinceVersion");
                assertEquals(since.isEmpty() ? 0 : Integer.parseInt(since), field.sinceVersion(), where);
                if (FieldKind.ENUM == field.kind())
                {
                    assertEquals(enumValues.get(xmlField.getAttribute("type")), field.enumValues(), where);
                }
            }
            assertEquals(message.blockLength(), blockEnd(message), message.messageName() + " block length");
        }
    }

    @Test
    void shouldShareOneDescriptionBetweenSourceStartedAndHeartbeat()
    {
        for (int i = 0; i < JournalMessage.SOURCE_STARTED.fieldCount(); i++)
        {
            assertSame(JournalMessage.SOURCE_STARTED.field(i), JournalMessage.HEARTBEAT.field(i));
        }
        assertEquals(JournalMessage.SOURCE_STARTED.blockLength(), JournalMessage.HEARTBEAT.blockLength());
        assertEquals(io.tradestate.codecs.SourceStartedDecoder.hostEncodingOffset(),
            io.tradestate.codecs.HeartbeatDecoder.hostEncodingOffset());
        assertEquals(io.tradestate.codecs.SourceStartedDecoder.sourceIdEncodingOffset(),
            io.tradestate.codecs.HeartbeatDecoder.sourceIdEncodingOffset());
        assertEquals(io.tradestate.codecs.SourceStartedDecoder.schemaVersionEncodingOffset(),
            io.tradestate.codecs.HeartbeatDecoder.schemaVersionEncodingOffset());
    }

    @Test
    void shouldNameTheColumnOfAFieldByTheMigrationsConvention()
    {
        assertEquals("exchange_time", JournalMessage.ORDER_UPDATE.field("exchangeTimeMs").column());
        assertEquals("receive_time_ns", JournalMessage.ORDER_UPDATE.field("receiveTimeNs").column());
        assertEquals("client_order_id", JournalMessage.ORDER_UPDATE.field("clientOrderId").column());
        assertEquals("initial_stop_loss_pct", JournalMessage.TRADE_UPDATE.field("initialStopLossPct").column());
        assertEquals("event_time", JournalMessage.PAIR_UNLOCK.field("unlockTimeMs").column());
        assertEquals(null, JournalMessage.PAIR_UNLOCK.field("scope").column());
        assertEquals("exchangeTime", JournalMessage.FILL.field("exchangeTimeMs").isoName());
    }

    private static int blockEnd(final JournalMessage message)
    {
        int end = 0;
        for (int i = 0; i < message.fieldCount(); i++)
        {
            final JournalField field = message.field(i);
            if (JournalField.VAR_DATA != field.offset())
            {
                end = Math.max(end, field.offset() + field.encodedLength());
            }
        }
        return end;
    }

    private static FieldKind expectedKind(final Element field)
    {
        final String type = field.getAttribute("type");
        final String name = field.getAttribute("name");
        switch (type)
        {
            case "Timestamp":
                return name.endsWith("Ms") ? FieldKind.TIME_MS : FieldKind.TIME_NS;
            case "TradeId":
            case "ProcessId":
                return FieldKind.INT64;
            case "SchemaVersion":
                return FieldKind.UINT16;
            case "Exchange":
            case "Symbol":
            case "Asset":
            case "ExchangeId":
            case "Name":
            case "HostName":
                return FieldKind.ASCII;
            case "BooleanType":
                return FieldKind.BOOLEAN;
            case "Decimal":
                return FieldKind.DECIMAL;
            case "varUtf8Encoding":
                return FieldKind.UTF8;
            default:
                return FieldKind.ENUM;
        }
    }

    private static Map<String, Integer> enumValueCounts(final Document schema)
    {
        final Map<String, Integer> counts = new HashMap<>();
        final NodeList enums = schema.getElementsByTagName("enum");
        for (int i = 0; i < enums.getLength(); i++)
        {
            final Element xmlEnum = (Element)enums.item(i);
            counts.put(xmlEnum.getAttribute("name"), xmlEnum.getElementsByTagName("validValue").getLength());
        }
        return counts;
    }

    private static List<Element> children(final Element message)
    {
        final List<Element> fields = new ArrayList<>();
        final NodeList nodes = message.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            final Node node = nodes.item(i);
            if (node instanceof Element &&
                ("field".equals(node.getNodeName()) || "data".equals(node.getNodeName())))
            {
                fields.add((Element)node);
            }
        }
        return fields;
    }

    private static Document parse() throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = JournalMessageSchemaTest.class.getResourceAsStream(SCHEMA))
        {
            assertNotNull(in, SCHEMA);
            return factory.newDocumentBuilder().parse(in);
        }
    }
}
