using Nethereum.Contracts;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Lab.Research.Replay;

/// <summary>
/// One transaction of the replay: its call data (bytes: a stage's call data as hex text would take four times the
/// memory), the account that sends it, a gas limit, how many records it carries, and a probe that tells, read from the
/// chain, whether it already landed (for a resumed run).
/// </summary>
internal sealed record ChainBatch(string Operation, int Sender, byte[] Data, ulong Gas, int Records, Func<RegistryBatch, Func<bool>> Probe);

/// <summary>Builds the replay's transactions: registerParcels batches, and multicall batches bounded by an estimate of their gas.</summary>
internal static class ChainBatches
{
    /// <summary>Gas a batch is filled up to (by the estimates below); the per-transaction cap of Osaka is 16,777,216.</summary>
    private const ulong FillTo = 11_000_000;

    /// <summary>The gas limit of every batch: under Osaka's cap, and above any batch filled to <see cref="FillTo"/>.</summary>
    public const ulong GasLimit = 16_000_000;

    /// <summary>Parcels per registerParcels (about 26,000 gas each).</summary>
    public const int ParcelsPerBatch = 500;

    public static IEnumerable<ChainBatch> RegisterParcels(int sender, IReadOnlyList<YearParcel> parcels)
    {
        for (var start = 0; start < parcels.Count; start += ParcelsPerBatch)
        {
            var chunk = parcels.Skip(start).Take(ParcelsPerBatch).ToList();
            var last = chunk[^1].Hash;
            var data = Bytes(RegistryReader.CallData(new RegisterParcelsFunction { Details = AbiValues.Bytes32(chunk.Select(p => p.Details)) }));
            yield return new ChainBatch("member: register origin parcels (registerParcels)", sender, data, GasLimit, chunk.Count, b =>
            {
                var r = b.Parcels([last]);
                return () => r.Value[0].Exists;
            });
        }
    }

    /// <summary>One call of a multicall: its call data, an estimate of its gas, and its probe.</summary>
    public sealed record Call(byte[] Data, ulong Gas, Func<RegistryBatch, Func<bool>> Probe);

    /// <summary>Packs <paramref name="calls"/> into multicall transactions of <paramref name="sender"/>, each filled up to an estimated 11 M gas.</summary>
    public static IEnumerable<ChainBatch> Multicall(string operation, int sender, IEnumerable<Call> calls)
    {
        var pending = new List<Call>();
        ulong gas = 30_000;
        foreach (var c in calls)
        {
            if (pending.Count > 0 && gas + c.Gas > FillTo)
            {
                yield return Pack(operation, sender, pending);
                pending = [];
                gas = 30_000;
            }
            pending.Add(c);
            gas += c.Gas;
        }
        if (pending.Count > 0) yield return Pack(operation, sender, pending);
    }

    private static ChainBatch Pack(string operation, int sender, List<Call> calls)
    {
        var data = Bytes(RegistryReader.CallData(new MulticallFunction { Data = [.. calls.Select(c => c.Data)] }));
        var probe = calls[^1].Probe;
        return new ChainBatch(operation, sender, data, GasLimit, calls.Count, probe);
    }

    private static byte[] Bytes(string callData) => Convert.FromHexString(callData.AsSpan(2));

    private static Func<RegistryBatch, Func<bool>> CertificateIs(CertificateRecord c, Func<CertificateStatus, bool> landed) => b =>
    {
        var numberHash = c.NumberHash;
        var r = b.Call<CertificateFunction, CertificateOutput, CertificateStatus>(RegistryReader.CertificateCall(c.Exporter, numberHash),
            o => AbiValues.ToState(numberHash, o.Certificate).Status);
        return () => landed(r.Value);
    };

    public static Call Relay(CertificateRecord c) =>
        new(RegistryWriter.RelayMessage(c, c.Authorization!).GetCallData(), 70_000 + 7_000 * (ulong)c.Parcels.Length, CertificateIs(c, s => s != CertificateStatus.None));

    public static Call Confirm(CertificateRecord c, ImportConfirmationRecord confirmation) =>
        new(new ConfirmImportFunction { Facts = RegistryReader.Facts.Of(c), ConfirmationHash = confirmation.Hash().ToArray() }.GetCallData(),
            50_000 + 7_000 * (ulong)c.Parcels.Length, CertificateIs(c, s => s == CertificateStatus.Confirmed));

    public static Call Void(CertificateRecord c) =>
        new(new VoidCertificateFunction { Facts = RegistryReader.Facts.Of(c) }.GetCallData(), 50_000 + 7_000 * (ulong)c.Parcels.Length,
            CertificateIs(c, s => s == CertificateStatus.Voided));

    public static Call Transform(TransformationRecord t) =>
        new(RegistryWriter.TransformMessage(t).GetCallData(), 70_000 + 9_000 * (ulong)t.Inputs.Length + 32_000 * (ulong)t.Outputs.Length, b =>
        {
            var r = b.Parcels([t.Outputs[^1]]);
            return () => r.Value[0].Exists;
        });

    public static Call Flag(Hash32 parcel, ParticipantCode exporter, string certificate) =>
        new(new SetFlagFunction
        {
            Kind = (byte)FlaggableKind.Parcel,
            Key = parcel.ToArray(),
            Flag = (byte)RecordFlag.Suspicious,
            Category = (byte)FlagCategory.SuspiciousOrigin,
            EvidenceHash = Keccak.Hash($"replay: origin of {exporter} certificate {certificate} reported suspicious").ToArray(),
        }.GetCallData(), 60_000, b =>
        {
            var r = b.Parcels([parcel]);
            return () => r.Value[0].Flag != RecordFlag.None;
        });
}
