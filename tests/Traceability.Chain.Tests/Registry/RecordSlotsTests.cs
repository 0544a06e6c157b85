using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Nethereum.Hex.HexConvertors.Extensions;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>
/// The packed slot layouts (contracts/libraries/RecordSlots.sol and Chain's RecordSlots) against
/// the real contract: raw slots read with eth_getStorageAt decode to what the views return, through
/// every status a parcel goes through.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RecordSlotsTests(HardhatFixture fixture)
{
    private static async Task<byte[]> SlotAsync(TestRegistry r, Hash32 slot) =>
        ((string)(await r.Rpc.RequestAsync("eth_getStorageAt", r.Reader.Address, slot.ToString(), "latest"))!).HexToByteArray();

    /// <summary>The base slot of the mapping that holds <paramref name="key"/>'s non-zero record (the contract's storage layout, found, not assumed).</summary>
    private static async Task<BigInteger> MappingBaseAsync(TestRegistry r, Hash32 key)
    {
        for (var i = 0; i < 64; i++)
        {
            if ((await SlotAsync(r, RecordSlots.MappingSlot(key, i))).Any(b => b != 0)) return i;
        }
        throw new InvalidOperationException($"no mapping holds {key}");
    }

    [Fact]
    public async Task Raw_parcel_and_anchor_slots_decode_to_what_the_views_return()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var now = await r.Reader.BlockTimestampAsync();
        var parcels = await r.RegisterOriginAsync(BwMiner, "BW", 2);
        var output = SampleRecords.DerivedParcel("BW", 100_000, "BW");
        await r.As(BwTrader).TransformAsync(SampleRecords.Transformation("BW", [parcels[0].Hash()], [output]));
        var cert = SampleRecords.Certificate("BW", "AE", [output.Hash(), parcels[1].Hash()], issuedAt: now);
        await r.As(BwAuthority).IssueCertificateAsync(cert);
        await r.As(Governor).SetFlagAsync(FlaggableKind.Parcel, parcels[1].Hash(), RecordFlag.Suspicious, FlagCategory.Other, "test");

        var parcelsBase = await MappingBaseAsync(r, parcels[0].Hash());
        async Task SameAsync(Hash32 hash)
        {
            var decoded = RecordSlots.DecodeParcel(hash, await SlotAsync(r, RecordSlots.MappingSlot(hash, parcelsBase)));
            var view = await r.Reader.ParcelAsync(hash);
            Assert.Equal(view with { Parents = null }, decoded with { Parents = null });
            Assert.Equal(view.Parents, decoded.Parents);
        }
        await SameAsync(parcels[0].Hash()); // consumed, origin
        await SameAsync(output.Hash());     // locked, derived (parents set)
        await SameAsync(parcels[1].Hash()); // locked, flagged
        Assert.NotNull((await r.Reader.ParcelAsync(output.Hash())).Parents);

        await r.As(AeAuthority).ConfirmImportAsync(cert, SampleRecords.Confirmation(cert, now + 60));
        await SameAsync(output.Hash());     // active, held by AE

        var root = Salt.New();
        await r.As(BwMiner).AnchorBatchAsync(root, 12);
        var bw = ParticipantCode.Parse("BW");
        var key = RegistryKeys.Anchor(bw, root);
        var anchorsBase = await MappingBaseAsync(r, key);
        var anchor = RecordSlots.DecodeAnchor(root, await SlotAsync(r, RecordSlots.MappingSlot(key, anchorsBase)));
        Assert.Equal(await r.Reader.AnchorAsync(bw, root), anchor);
        Assert.Equal(12u, anchor.LeafCount);
    }

    [Fact]
    public void The_offsets_equal_the_contracts()
    {
        var source = File.ReadAllText(RepoPaths.Under("contracts", "libraries", "RecordSlots.sol"));
        int Constant(string name)
        {
            var m = Regex.Match(source, $@"uint256 internal constant {name} = (\d+);");
            Assert.True(m.Success, $"{name} not found in RecordSlots.sol");
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        Assert.Equal(RecordSlots.ParcelStatusShift, Constant("PARCEL_STATUS_SHIFT"));
        Assert.Equal(RecordSlots.ParcelFlagShift, Constant("PARCEL_FLAG_SHIFT"));
        Assert.Equal(RecordSlots.ParcelRegistrantShift, Constant("PARCEL_REGISTRANT_SHIFT"));
        Assert.Equal(RecordSlots.ParcelRegisteredAtShift, Constant("PARCEL_REGISTERED_AT_SHIFT"));
        Assert.Equal(RecordSlots.ParcelParentsShift, Constant("PARCEL_PARENTS_SHIFT"));
        Assert.Equal(RecordSlots.AnchorFlagShift, Constant("ANCHOR_FLAG_SHIFT"));
        Assert.Equal(RecordSlots.AnchorRegistrantShift, Constant("ANCHOR_REGISTRANT_SHIFT"));
        Assert.Equal(RecordSlots.AnchorAnchoredAtShift, Constant("ANCHOR_ANCHORED_AT_SHIFT"));
        Assert.Equal(RecordSlots.AnchorLeafCountShift, Constant("ANCHOR_LEAF_COUNT_SHIFT"));
    }
}
