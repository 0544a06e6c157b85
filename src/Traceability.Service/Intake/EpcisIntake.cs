using System.Text;
using Traceability.Core.Epcis;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Service.Store;

namespace Traceability.Service.Intake;

/// <summary>
/// An EPCIS 2.0 document dropped in the inbox (*.jsonld) as the documents the store receives: one record document
/// per mapped event (a TransformationEvent gives its transformation only: its outputs are created by it on-chain, a
/// parcel document alone would be taken for an origin parcel), and one already rejected document per event that
/// cannot be mapped (rule <c>epcis</c>, the field, and a reason naming the event by its Event Hash ID), holding the
/// event as written. Each has its own key (the file's key and the event's index), so a crash never stores one twice.
/// </summary>
public static class EpcisIntake
{
    /// <summary>The rule of a rejected EPCIS event or document.</summary>
    public const string Rule = "epcis";

    /// <summary>
    /// The documents to store for the EPCIS file <paramref name="name"/>; <c>Whole</c> when the document as a whole
    /// cannot be read (one rejected note then stands for it, and the file is kept as it came).
    /// </summary>
    public static (IReadOnlyList<IncomingDocument> Documents, bool Whole) Map(string name, string key, byte[] bytes)
    {
        IReadOnlyList<EpcisImportedEvent> events;
        try
        {
            events = EpcisImporter.Import(bytes);
        }
        catch (EpcisFormatException e)
        {
            return ([new IncomingDocument(name, Encoding.UTF8.GetBytes($"(the EPCIS document {name}, unreadable: kept as it came)"),
                (Rule, e.Field, $"the EPCIS document cannot be read: {e.Problem} (it is kept as it came in the rejected area)"), key)], true);
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException or KeyNotFoundException)
        {
            // a defect of the mapping met by a hostile document: the file is kept as it came, never thrown out of the intake
            // (it would stop the service, and stop it again at each start, since the staged file is taken in again)
            return ([new IncomingDocument(name, Encoding.UTF8.GetBytes($"(the EPCIS document {name}, not mapped: kept as it came)"),
                (Rule, "document", $"the EPCIS document could not be mapped ({e.GetType().Name}: {e.Message}); it is kept as it came in the rejected area"), key)], true);
        }
        var documents = new List<IncomingDocument>(events.Count);
        foreach (var e in events)
        {
            var source = $"{name}#event {e.Index}";
            var eventKey = $"{key}#{e.Index}";
            if (!e.IsMapped)
            {
                documents.Add(new IncomingDocument(source, Encoding.UTF8.GetBytes(e.Json), (Rule, e.Rejection!.Field, e.Reason!), eventKey));
                continue;
            }
            KpRecord record = e.Records.OfType<TransformationRecord>().FirstOrDefault() ?? e.Records[0];
            documents.Add(new IncomingDocument(source, Encoding.UTF8.GetBytes(RecordJson.Write(record)), Key: eventKey));
        }
        return (documents, false);
    }
}
