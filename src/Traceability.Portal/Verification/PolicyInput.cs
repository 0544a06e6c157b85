using System.Text;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Policies;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Verification;

/// <summary>
/// The origin policy a verification applies: the request's own ("policy" in the API's body), else the
/// portal's default (Portal:PolicyPath, read once; checked when the portal starts), else none.
/// </summary>
public sealed class PolicyInput(PortalOptions options)
{
    private readonly Lazy<OriginPolicy?> _default = new(() => LoadDefault(options.PolicyPath));

    /// <summary>The portal's default policy, if it has one.</summary>
    public OriginPolicy? Default => _default.Value;

    /// <summary>Reads the policy a request brings (a JSON object); a broken one is a 422 naming policy.<c>field</c>.</summary>
    public static OriginPolicy Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new PortalInputException("policy", "expected an origin policy (a JSON object, docs/schemas/origin-policy.schema.json)");
        try
        {
            return PolicyJson.Parse(Encoding.UTF8.GetBytes(e.GetRawText()));
        }
        catch (RecordFormatException x)
        {
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, x.Field == "policy" ? "policy" : $"policy.{x.Field}", x.Problem);
        }
    }

    /// <summary>Reads a policy uploaded as a file (the verify page's policyFile); a broken one is a 422 naming <paramref name="field"/>.<c>field</c>.</summary>
    public static OriginPolicy Read(byte[] bytes, string field)
    {
        try
        {
            return PolicyJson.Parse(bytes);
        }
        catch (RecordFormatException x)
        {
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, x.Field == "policy" ? field : $"{field}.{x.Field}", x.Problem);
        }
    }

    /// <summary>Reads the policy file a setting names; a problem is a <see cref="RecordFormatException"/> or an I/O error naming the file.</summary>
    public static OriginPolicy? LoadDefault(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : PolicyJson.Parse(File.ReadAllBytes(path));

    /// <summary>Why the policy file a setting names cannot serve, or null when it can (or none is named).</summary>
    public static string? Problem(string? path)
    {
        try
        {
            LoadDefault(path);
            return null;
        }
        catch (Exception e) when (e is RecordFormatException or IOException or UnauthorizedAccessException)
        {
            return $"Portal:PolicyPath: {path}: {e.Message}";
        }
    }
}
