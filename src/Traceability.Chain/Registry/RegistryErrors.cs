using System.Globalization;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>A decoded custom error of the registry: its name, arguments and a sentence for people.</summary>
/// <param name="Name">The Solidity error's name, for example "ParcelNotActive".</param>
/// <param name="Arguments">Its arguments by name, formatted (codes as letters, hashes and addresses as hex).</param>
/// <param name="Message">What happened, in words a user understands.</param>
public sealed record RegistryError(string Name, IReadOnlyDictionary<string, string> Arguments, string Message);

/// <summary>Decodes revert data of the registry into <see cref="RegistryError"/>.</summary>
public static class RegistryErrors
{
    private static readonly FunctionCallDecoder Decoder = new();

    private static readonly Dictionary<string, Func<Args, string>> Sentences = new(StringComparer.Ordinal)
    {
        ["InvalidParticipantCode"] = a => $"'{a["code"]}' is not a participant code: two upper-case letters are required",
        ["ParticipantAlreadyExists"] = a => $"{a["code"]} is already a participant",
        ["UnknownParticipant"] = a => $"{a["code"]} is not a participant of the registry",
        ["ParticipantInactive"] = a => $"{a["code"]} is suspended and cannot take part in this operation",
        ["ParticipantNotSuspended"] = a => $"{a["code"]} is not suspended",
        ["ZeroAddress"] = _ => "an account address is required, not the zero address",
        ["AuthorityAlreadyAssigned"] = a => $"{a["account"]} is already an authority of {a["participant"]}",
        ["NotAnAuthority"] = a => a["participant"] == "none"
            ? $"{a["account"]} is not an authority of any participant"
            : $"{a["account"]} is not an authority of {a["participant"]}",
        ["MemberAlreadyActive"] = a => $"{a["account"]} is already an active member of {a["participant"]}",
        ["NotAMember"] = a => a["participant"] == "none"
            ? $"{a["account"]} is not an active member of any participant"
            : $"{a["account"]} is not an active member of {a["participant"]}",
        ["ZeroHash"] = _ => "the zero hash is not a record",
        ["AlreadyRegistered"] = a => $"{a["hash"]} is already registered: a record is registered once",
        ["EmptyList"] = _ => "the list must not be empty",
        ["InputsNotSorted"] = a => $"transformation inputs must be strictly ascending; input {a["index"]} is not",
        ["UnknownParcel"] = a => $"parcel {a["parcel"]} is not registered",
        ["ParcelNotActive"] = a => $"parcel {a["parcel"]} is not active: it is {a.Enum<ParcelStatus>("status").ToString().ToLowerInvariant()}"
            + (a.Enum<ParcelStatus>("status") == ParcelStatus.Consumed ? " (used by a transformation, never usable again)" : " (on a certificate)"),
        ["ParcelNotHeld"] = a => $"parcel {a["parcel"]} is held by {a["holder"]}, not by the participant this operation needs",
        ["SameParticipant"] = a => $"importer and exporter are both {a["code"]}",
        ["InvalidExpiry"] = a => $"expiry {a.Time("expiresAt")} is in the past or beyond 2106",
        ["UnknownCertificate"] = a => $"{a["exporter"]} has no certificate with number hash {a["numberHash"]}",
        ["CertificateAlreadyIssued"] = a => $"{a["exporter"]} already issued a certificate with this number ({a["numberHash"]}): a number is used once",
        ["CertificateMismatch"] = a => $"the certificate's facts (parcels, parties, expiry or details) differ from {a["exporter"]}'s certificate on record ({a["numberHash"]})",
        ["CertificateNotIssued"] = a => $"the certificate is {a.Enum<CertificateStatus>("status").ToString().ToLowerInvariant()}, not open",
        ["CertificateExpired"] = a => $"the certificate expired at {a.Time("expiresAt")}",
        ["ParcelNotLocked"] = a => $"parcel {a["parcel"]} is not locked to this certificate (it is {a.Enum<ParcelStatus>("status").ToString().ToLowerInvariant()}, held by {a["holder"]})",
        ["GovernanceRequired"] = _ => "governance cannot be renounced or handed to the zero address: the registry must always have a governor",
        ["AccessControlEnforcedDefaultAdminDelay"] = a => $"the governance transfer delay has not passed (schedule {a.Time("schedule")})",
        ["AccessControlEnforcedDefaultAdminRules"] = _ => "governance changes hands only by begin and accept, after the delay",
        ["AccessControlInvalidDefaultAdmin"] = a => $"{a["defaultAdmin"]} is not the pending governor",
        ["SafeCastOverflowedUintDowncast"] = a => $"value {a["value"]} does not fit {a["bits"]} bits",
        ["SignatureExpired"] = a => $"the authority's signature expired at {a.Time("deadline")}",
        ["InvalidSignature"] = a => $"the signature is not {a["signer"]}'s signature of this certificate on this chain and registry",
        ["UnknownRecord"] = a => $"no {a.Enum<FlaggableKind>("kind").ToString().ToLowerInvariant()} with key {a["key"]} is registered",
        ["AccessControlUnauthorizedAccount"] = a => $"{a["account"]} lacks the role this needs ({a["neededRole"]})",
        ["AccessControlBadConfirmation"] = _ => "a role can only be renounced by its holder",
        ["AddressEmptyCode"] = a => $"{a["target"]} has no code",
        ["FailedCall"] = _ => "a call inside the batch failed",
        ["InvalidShortString"] = _ => "invalid short string",
        ["StringTooLong"] = a => $"string too long: {a["str"]}",
    };

    /// <summary>Every error name this decoder can describe.</summary>
    public static IReadOnlyCollection<string> DescribedErrors => Sentences.Keys;

    /// <summary>Decodes revert data; null if it is not one of the registry's errors.</summary>
    public static RegistryError? TryDecode(string? revertData)
    {
        if (string.IsNullOrEmpty(revertData) || revertData.Length < 10) return null;
        var data = revertData.EnsureHexPrefix();
        var selector = data[..10].ToLowerInvariant();
        var error = RegistryAbi.Contract.Errors.FirstOrDefault(e => "0x" + e.Sha3Signature.ToLowerInvariant() == selector);
        if (error is null) return null;
        List<ParameterOutput> outputs;
        try
        {
            outputs = Decoder.DecodeError(error, data);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
        var args = new Args(error, outputs);
        var sentence = Sentences.TryGetValue(error.Name, out var f) ? f(args) : error.Name;
        return new RegistryError(error.Name, args.Formatted, sentence);
    }

    private sealed class Args
    {
        private readonly Dictionary<string, object?> _raw = new(StringComparer.Ordinal);

        public Args(ErrorABI error, List<ParameterOutput> outputs)
        {
            foreach (var o in outputs) _raw[o.Parameter.Name] = o.Result;
            Formatted = error.InputParameters.ToDictionary(p => p.Name, p => Format(p, _raw.GetValueOrDefault(p.Name)));
        }

        public Dictionary<string, string> Formatted { get; }

        public string this[string name] => Formatted[name];

        public T Enum<T>(string name) where T : struct, System.Enum =>
            (T)System.Enum.ToObject(typeof(T), (int)(BigInteger)_raw[name]!);

        public string Time(string name)
        {
            var seconds = (BigInteger)_raw[name]!;
            return seconds > 253_402_300_799 ? seconds.ToString(CultureInfo.InvariantCulture)
                : DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        }

        private static string Format(Parameter p, object? value) => (p.Type, value) switch
        {
            ("bytes2", byte[] b) => AbiValues.Code(b)?.Value ?? (b.All(x => x == 0) ? "none" : "0x" + Convert.ToHexStringLower(b)),
            ("bytes32", byte[] b) => Hash32.FromBytes(b).ToString(),
            (_, byte[] b) => "0x" + Convert.ToHexStringLower(b),
            (_, BigInteger n) => n.ToString(CultureInfo.InvariantCulture),
            (_, null) => "",
            _ => value.ToString() ?? "",
        };
    }
}
