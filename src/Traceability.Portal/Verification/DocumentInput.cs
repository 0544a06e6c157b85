using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Policies;
using Traceability.Core.Records;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Verification;

/// <summary>The documents of one verification: the document and its ancestors, parsed strictly.</summary>
/// <param name="Document">The document to verify.</param>
/// <param name="Ancestors">Ancestor parcels and transformations (may be empty).</param>
public sealed record DocumentSet(KpRecord Document, IReadOnlyList<KpRecord> Ancestors)
{
    /// <summary>The origin policy to apply after the chain checks: the request's, else the portal's default, else none.</summary>
    public OriginPolicy? Policy { get; init; }
}

/// <summary>
/// Reads verification requests within the portal's limits: the JSON body of POST /api/v1/verify
/// ({"document": {...}, "ancestors": [{...}]}) and the verify page's form (pasted text or files).
/// Every refusal is a <see cref="PortalInputException"/> naming the field; nothing read is kept.
/// </summary>
public sealed class DocumentInput(PortalOptions options)
{
    private readonly PolicyInput _policies = new(options);

    /// <summary>Reads the API's JSON body.</summary>
    public async Task<DocumentSet> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (!IsJson(request.ContentType))
        {
            throw new PortalInputException(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"expected application/json, got '{request.ContentType ?? "none"}'");
        }
        var body = await ReadBodyAsync(request, ct).ConfigureAwait(false);
        using var json = ParseJson(body, "body");
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new PortalInputException("body", $"expected a JSON object with \"document\" and \"ancestors\", got {Kind(root)}");
        JsonElement? document = null, ancestors = null, policy = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "document": document = p.Value; break;
                case "ancestors": ancestors = p.Value; break;
                case "policy": policy = p.Value; break;
                default: throw new PortalInputException(p.Name, "unknown field: the body has only \"document\", \"ancestors\" and \"policy\"");
            }
        }
        if (document is not { } d) throw new PortalInputException("document", "is missing: give the certificate, parcel, transformation or import confirmation to verify");
        var given = new List<KpRecord>();
        if (ancestors is { ValueKind: not JsonValueKind.Null } a)
        {
            if (a.ValueKind != JsonValueKind.Array) throw new PortalInputException("ancestors", $"expected an array of documents, got {Kind(a)}");
            CheckCount(a.GetArrayLength(), "ancestors");
            var i = 0;
            foreach (var e in a.EnumerateArray()) given.Add(Record(e, $"ancestors[{i++}]"));
        }
        return new DocumentSet(Record(d, "document"), given)
        {
            Policy = policy is { ValueKind: not JsonValueKind.Null } own ? PolicyInput.Read(own) : _policies.Default,
        };
    }

    /// <summary>Reads the verify page's form: a pasted document or a file, pasted or uploaded ancestors, and an optional policy file.</summary>
    public async Task<DocumentSet> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new PortalInputException(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"expected a form (multipart/form-data), got '{request.ContentType ?? "none"}'");
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is (IOException or InvalidDataException) and not BadHttpRequestException && !ct.IsCancellationRequested) // a body over the limit stays a 413
        {
            throw new PortalInputException("body", e is InvalidDataException
                ? $"is not a well-formed form: {FirstSentence(e.Message)}"
                : "is not a well-formed form: it ends early or a part is malformed");
        }
        KpRecord? document = null;
        if (form.Files.GetFile("documentFile") is { Length: > 0 } file)
        {
            document = Record(await FileBytesAsync(file, ct).ConfigureAwait(false), $"documentFile ({file.FileName})");
        }
        else if (form["documentText"].ToString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text))
        {
            document = Record(Encoding.UTF8.GetBytes(text), "documentText");
        }
        if (document is null) throw new PortalInputException("documentText", "is empty: paste the document or choose its file");

        var ancestors = new List<KpRecord>();
        if (form["ancestorsText"].ToString() is { } pasted && !string.IsNullOrWhiteSpace(pasted))
        {
            ancestors.AddRange(Many(Encoding.UTF8.GetBytes(pasted), "ancestorsText"));
        }
        foreach (var f in form.Files.GetFiles("ancestorFiles").Where(f => f.Length > 0))
        {
            ancestors.AddRange(Many(await FileBytesAsync(f, ct).ConfigureAwait(false), $"ancestorFiles ({f.FileName})"));
            CheckCount(ancestors.Count, "ancestorFiles");
        }
        CheckCount(ancestors.Count, "ancestors");
        var policy = form.Files.GetFile("policyFile") is { Length: > 0 } policyFile
            ? PolicyInput.Read(await FileBytesAsync(policyFile, ct).ConfigureAwait(false), $"policyFile ({policyFile.FileName})")
            : _policies.Default;
        return new DocumentSet(document, ancestors) { Policy = policy };
    }

    /// <summary>Whether a content type is JSON (application/json or a +json type).</summary>
    public static bool IsJson(string? contentType)
    {
        if (contentType is null) return false;
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One document, or a JSON array of documents (pasted ancestors, an ancestors file).</summary>
    private List<KpRecord> Many(byte[] bytes, string field)
    {
        using var json = ParseJson(bytes, field);
        if (json.RootElement.ValueKind != JsonValueKind.Array) return [Record(json.RootElement, field)];
        CheckCount(json.RootElement.GetArrayLength(), field);
        var i = 0;
        return [.. json.RootElement.EnumerateArray().Select(e => Record(e, $"{field}[{i++}]"))];
    }

    private JsonDocument ParseJson(ReadOnlyMemory<byte> bytes, string field)
    {
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new PortalInputException(field, JsonProblem(e.Message, options.MaxJsonDepth));
        }
    }

    /// <summary>What is wrong with unreadable JSON, in words: only a document nested past the limit is blamed on nesting.</summary>
    public static string JsonProblem(string message, int maxDepth) =>
        message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
            ? $"is nested deeper than {maxDepth} levels (the portal's limit)"
            : message.StartsWith("Expected depth to be zero", StringComparison.Ordinal)
                ? "is not valid JSON: it ends before an open object or array is closed"
                : $"is not valid JSON: {FirstSentence(message)}";

    private static KpRecord Record(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new PortalInputException(field, $"expected a document (a JSON object), got {Kind(e)}");
        return Record(JsonMarshal.GetRawUtf8Value(e), field); // the document's own bytes, not re-encoded
    }

    private static KpRecord Record(ReadOnlySpan<byte> bytes, string field)
    {
        try
        {
            return RecordJson.Parse(bytes);
        }
        catch (RecordFormatException e)
        {
            var at = e.Field == "document" ? field : $"{field}.{e.Field}";
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, at, e.Problem);
        }
    }

    /// <summary>The body, within the limit: read straight into one array when its length is announced, else grown as it comes.</summary>
    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxBodyBytes) throw TooLarge("body");
        var buffer = new byte[request.ContentLength is > 0 and var n ? (int)n + 1 : 16 * 1024]; // one byte more: a body longer than announced is seen
        var length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (length > options.MaxBodyBytes) throw TooLarge("body");
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, options.MaxBodyBytes + 1L));
        }
        if (length == 0) throw new PortalInputException("body", "is empty: send {\"document\": {...}, \"ancestors\": [...]}");
        return buffer.AsMemory(0, length);
    }

    private async Task<byte[]> FileBytesAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length > options.MaxBodyBytes) throw TooLarge(file.Name);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private PortalInputException TooLarge(string field) =>
        new(StatusCodes.Status413PayloadTooLarge, field, $"is larger than the {options.MaxBodyBytes:N0} bytes this portal accepts");

    private void CheckCount(int count, string field)
    {
        if (count > options.MaxAncestors) throw new PortalInputException(field, $"holds {count} documents; at most {options.MaxAncestors} ancestors are accepted");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');
}
