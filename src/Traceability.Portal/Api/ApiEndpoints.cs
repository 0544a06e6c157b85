using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Portal.Chain;
using Traceability.Portal.Hosting;
using Traceability.Portal.Verification;
using Traceability.Verifier;

namespace Traceability.Portal.Api;

/// <summary>The REST API under /api/v1: verify, certificates, parcels, anchors, participants, health. Errors are RFC 9457 problem details.</summary>
public static class ApiEndpoints
{
    /// <summary>Maps the API.</summary>
    public static void MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("KP registry");

        api.MapPost("/verify", async (HttpContext http, DocumentInput input, PortalVerifier verifier) =>
        {
            var documents = await input.ReadJsonAsync(http.Request, http.RequestAborted);
            var (report, cached) = await verifier.VerifyCachedAsync(documents, http.RequestAborted);
            http.Response.Headers["X-KP-Report"] = cached ? "cached" : "fresh"; // cached: the same documents were verified at this head block already
            return TypedResults.Json(ReportJson.From(report), ReportJson.Options);
        })
            .WithName("Verify")
            .WithSummary("Verify a document against the registry")
            .WithDescription("Takes the document (certificate, parcel, transformation or import confirmation) and optionally its ancestor documents; returns the report kp verify --json prints: the verdict, the named checks, the lineage, the origins and the block checked against. Nothing sent is stored.")
            .Accepts<VerifyRequest>("application/json")
            .Produces<VerificationReportJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/certificates/{exporter}/{number}", async (string exporter, string number, string? h, HttpContext http, CertificateLookup lookup, PortalLinks links) =>
        {
            var (code, n, printed) = CertificateLookup.Parse(exporter, number, h);
            var r = await lookup.LookupAsync(code, n, printed, http.RequestAborted);
            if (!r.Exists) throw new PortalInputException(StatusCodes.Status404NotFound, "number", $"{code.Value} never issued a certificate numbered {n} on this registry");
            return TypedResults.Ok(new CertificateJson(r.Exporter.Value, r.Number, r.NumberHash.ToString(), r.Status, r.Flag, r.Importer?.Value, r.ParcelCount,
                r.ExpiresAt, r.AnchoredHash?.ToString(), r.PrintedHash?.ToString(), r.HashMatches,
                await links.LookupAsync(http, code, n, r.AnchoredHash),
                [.. r.Events.Select(e => new CertificateEventJson(e.Kind, e.Mark.BlockNumber, e.Mark.BlockTime, e.Mark.TransactionHash, e.Authority))],
                r.Block, r.BlockTime));
        })
            .WithName("GetCertificate")
            .WithSummary("A certificate's on-chain status")
            .WithDescription("Status (issued, confirmed, voided, expired), flag, importer, parcel count, expiry and events of the exporter's certificate; with h, whether h is the anchored certificate hash.")
            .Produces<CertificateJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/parcels/{hash}", async (string hash, HttpContext http, PortalChain chain) =>
        {
            if (!Hash32.TryParse(hash, out var parcel)) throw new PortalInputException("hash", "is not a parcel hash (0x and 64 hex digits)");
            var (state, block) = await chain.ReadAsync(async ct =>
            {
                var batch = chain.Reader.Batch();
                var head = batch.Header();
                var states = batch.Parcels([parcel]);
                await batch.SendAsync(ct);
                return (states.Value[0], head.Value.Number);
            }, http.RequestAborted);
            if (!state.Exists) throw new PortalInputException(StatusCodes.Status404NotFound, "hash", $"the registry knows no parcel {parcel}");
            return TypedResults.Ok(new ParcelJson(parcel.ToString(), state.Holder?.Value, state.Status, state.Flag, state.IsOrigin, state.RegisteredAt, block));
        })
            .WithName("GetParcel")
            .WithSummary("A parcel's on-chain state")
            .Produces<ParcelJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/anchors/{root}", async (string root, string? @event, string? proof, HttpContext http, AnchorLookup lookup, PortalLinks links) =>
        {
            var query = AnchorLookup.Parse(root, @event, proof);
            var r = await lookup.LookupAsync(query, http.RequestAborted);
            if (!r.Anchored) throw new PortalInputException(StatusCodes.Status404NotFound, "root", $"no participant anchored a batch with root {query.Root} on this registry");
            return TypedResults.Ok(new AnchorJson(query.Root.ToString(),
                [.. r.Anchors.Select(a => new AnchorEntryJson(a.Participant.Value, a.Registrant, a.LeafCount, a.AnchoredAt, a.Flag, a.Mark.BlockNumber, a.Mark.TransactionHash, a.Included))],
                query.EventHashId is { } id ? new AnchoredEventJson(id, query.Leaf!.Value.ToString(), [.. query.Proof.Select(p => p.ToString())], query.ProofMatches!.Value, r.Included!.Value) : null,
                await links.AnchorAsync(http, query), r.Block, r.BlockTime));
        })
            .WithName("GetAnchor")
            .WithSummary("An anchored batch, and whether an EPCIS event is in it")
            .WithDescription("Who anchored the Merkle root (kp anchor, kp anchor --epcis), when and in which block; with event (an EPCIS Event Hash ID, ni:///sha-256;…?ver=CBV2.0, or its 0x digest) and proof (0x nodes separated by commas; none for a batch of one), whether the event's leaf with the proof reproduces the root and the registry accepts it. A root no participant anchored is a 404.")
            .Produces<AnchorJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/participants", async (HttpContext http, PortalChain chain) =>
        {
            var o = await chain.ReadAsync(ct => chain.History.OverviewAsync(0, ct), http.RequestAborted);
            return TypedResults.Ok(new ParticipantsJson(
                [.. o.Participants.Select(p => new ParticipantJson(p.Code.Value, KpParticipants.Find(p.Code)?.Name, p.Status, p.CertificatesIssued,
                    p.CertificatesImported, p.ImportsConfirmed, p.CertificatesVoided, p.OriginParcels, p.DerivedParcels, p.Transformations, p.Anchors))],
                o.Certificates, o.Parcels, o.Block));
        })
            .WithName("GetParticipants")
            .WithSummary("Participants with their status and activity")
            .Produces<ParticipantsJson>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/health", async (HttpContext http, PortalChain chain) =>
        {
            var (chainId, header) = await chain.ReadAsync(async ct =>
            {
                var batch = chain.Reader.Batch();
                var head = batch.Header();
                await batch.SendAsync(ct);
                return ((ulong)await chain.ChainIdAsync(ct), head.Value);
            }, http.RequestAborted);
            return TypedResults.Ok(new HealthJson("ok", chainId, chain.Registry, header.Number, header.Timestamp));
        })
            .WithName("GetHealth")
            .WithSummary("Whether the portal reaches its chain and registry")
            .Produces<HealthJson>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
