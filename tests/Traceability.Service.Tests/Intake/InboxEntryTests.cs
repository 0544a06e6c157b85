using System.Text;
using Traceability.Core.Json;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Intake;

/// <summary>
/// F6: every inbox entry that is not a regular file (a link to a directory, a directory) is rejected
/// once as file-type and removed, and never starves the files behind it. F7: a bulk line that is
/// oversized or not valid UTF-8 is rejected and its bytes are kept in the rejected area.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class InboxEntryTests(HardhatFixture hardhat)
{
    /// <summary>Waits for a path the intake writes just after it commits the rejection (settled in the store first).</summary>
    private static async Task<string> Kept(string path)
    {
        for (var i = 0; i < 100 && !Path.Exists(path); i++) await Task.Delay(50);
        return path;
    }

    [Fact]
    public async Task Links_to_directories_and_directories_are_rejected_once_as_file_type_and_removed()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        Directory.CreateDirectory(h.Inbox);
        var target = Directory.CreateTempSubdirectory("kp-target-").FullName;
        File.WriteAllText(Path.Combine(target, "keep.txt"), "not ours");
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "dirlink.json"), target);
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "slash.json"), "/");
        Directory.CreateDirectory(Path.Combine(h.Inbox, "empty.json"));
        Directory.CreateDirectory(Path.Combine(h.Inbox, "full.jsonl"));
        File.WriteAllText(Path.Combine(h.Inbox, "full.jsonl", "inside.txt"), "x");
        var good = SampleRecords.OriginParcel("BW");
        using var host = h.StartInProcess();
        h.Drop(good);
        await h.WaitSettledAsync(5, TimeSpan.FromSeconds(90));
        await Task.Delay(300); // a stuck entry would be logged and stored again and again
        using (var store = h.OpenStore())
        {
            Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
            var rejected = store.WithStatus(RecordStage.Rejected, 100);
            Assert.Equal(4, rejected.Count);
            foreach (var name in new[] { "dirlink.json", "slash.json", "empty.json", "full.jsonl" })
            {
                Assert.Equal(("file-type", "document"), (rejected.Single(x => x.Source == name).Rule, rejected.Single(x => x.Source == name).Field));
            }
            Assert.Contains("directory", rejected.Single(x => x.Source == "full.jsonl").Reason);
            var full = rejected.Single(x => x.Source == "full.jsonl");
            Assert.True(File.Exists(await Kept(Path.Combine(h.Rejected, $"{full.Id:D8}.original", "inside.txt")))); // moved out as it came
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.Inbox));
        Assert.Equal("not ours", File.ReadAllText(Path.Combine(target, "keep.txt"))); // what a link points at is left alone
        Directory.Delete(target, recursive: true);
    }

    [Fact]
    public async Task Thousands_of_links_to_directories_do_not_starve_a_real_file()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        Directory.CreateDirectory(h.Inbox);
        for (var i = 0; i < 2_500; i++) File.CreateSymbolicLink(Path.Combine(h.Inbox, $"a{i:D5}.json"), "/tmp");
        var good = SampleRecords.OriginParcel("BW");
        h.DropText("zzzz.json", RecordJson.Write(good));
        using var host = h.StartInProcess();
        await h.WaitSettledAsync(2_501, TimeSpan.FromSeconds(120));
        using var store = h.OpenStore();
        Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
        Assert.Equal(2_500, store.Counts()[RecordStage.Rejected]);
    }

    [Fact]
    public async Task An_oversized_or_non_utf8_bulk_line_is_rejected_and_its_bytes_are_kept()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var good = SampleRecords.OriginParcel("BW");
        var huge = Encoding.UTF8.GetBytes("{\"schemaVersion\": 1, \"padding\": \"" + new string('x', 1_100_000) + "\"}");
        var ff = Encoding.UTF8.GetBytes(RecordJson.Write(SampleRecords.OriginParcel("BW")).ReplaceLineEndings("").Replace("Jwaneng", "Jwa?eng", StringComparison.Ordinal));
        ff[Array.IndexOf(ff, (byte)'?')] = 0xFF;
        var file = new List<byte>();
        file.AddRange(Encoding.UTF8.GetBytes(RecordJson.Write(good).ReplaceLineEndings("") + "\n"));
        file.AddRange(huge);
        file.Add((byte)'\n');
        file.AddRange(ff);
        file.Add((byte)'\n');
        Directory.CreateDirectory(h.Inbox);
        File.WriteAllBytes(Path.Combine(h.Inbox, "bulk.tmp"), [.. file]);
        File.Move(Path.Combine(h.Inbox, "bulk.tmp"), Path.Combine(h.Inbox, "bulk.jsonl"));
        using var host = h.StartInProcess();
        await h.WaitSettledAsync(3, TimeSpan.FromSeconds(90));
        using var store = h.OpenStore();
        Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
        var rejected = store.WithStatus(RecordStage.Rejected, 10);
        var big = rejected.Single(r => r.Source == "bulk.jsonl#2");
        Assert.Equal("size", big.Rule);
        Assert.Equal(huge, File.ReadAllBytes(await Kept(Path.Combine(h.Rejected, $"{big.Id:D8}.original"))));
        var bad = rejected.Single(r => r.Source == "bulk.jsonl#3");
        Assert.Equal("format", bad.Rule);
        Assert.Equal(ff, File.ReadAllBytes(await Kept(Path.Combine(h.Rejected, $"{bad.Id:D8}.original"))));
        Assert.DoesNotContain("\uFFFD", Encoding.UTF8.GetString(store.ById(bad.Id)!.Document));
    }
}
