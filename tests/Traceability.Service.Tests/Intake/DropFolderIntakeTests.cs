using System.Diagnostics;
using System.Text;
using Traceability.Core.Json;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Service.Tests.Intake;

/// <summary>
/// Issue 7, item 10: the drop folder takes regular files only (a link, FIFO or device is never read,
/// nothing it points at is copied anywhere), rejected copies are the owner's only, and a record
/// rejected for a cause that has passed is taken again when its file is dropped again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and FIFOs are POSIX
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class DropFolderIntakeTests(HardhatFixture hardhat)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>Every byte the service keeps: its folder's files (but the secret's own folder) and every stored document.</summary>
    private static string EverythingKept(ServiceHarness h)
    {
        var all = new StringBuilder();
        foreach (var f in Directory.EnumerateFiles(h.ServiceDirectory, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(f).LinkTarget is not null) continue;
            if (f.EndsWith(ServiceLayout.StoreFileName, StringComparison.Ordinal) || f.EndsWith("-wal", StringComparison.Ordinal) || f.EndsWith("-shm", StringComparison.Ordinal)
                || f == h.Layout.LockFile) continue; // the store is read below; the lock file is held
            all.Append(File.ReadAllText(f));
        }
        using var store = h.OpenStore();
        foreach (var status in Enum.GetValues<RecordStage>())
        {
            foreach (var r in store.WithStatus(status, int.MaxValue)) all.Append(Encoding.UTF8.GetString(r.Document));
        }
        return all.ToString();
    }

    [Fact]
    public async Task Symlinks_and_FIFOs_in_the_inbox_are_never_read_and_rejected_copies_are_the_owners_only()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var secret = Path.Combine(h.Folder, "secret.json");
        const string Marker = "SECRET-MNEMONIC-abandon-abandon-about";
        await File.WriteAllTextAsync(secret, $"{{\"mnemonic\": \"{Marker}\"}}");
        Directory.CreateDirectory(h.Inbox);
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "x.json"), secret);
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "environ.json"), "/proc/self/environ");
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "bulk.jsonl"), secret);
        MakeFifo(Path.Combine(h.Inbox, "pipe.json"));
        MakeFifo(Path.Combine(h.Inbox, "pipe.jsonl"));
        var good = SampleRecords.OriginParcel("BW");
        var bad = SampleRecords.OriginParcel("BW");
        using var host = h.StartInProcess();
        h.Drop(good);
        h.DropText("truncated.json", RecordJson.Write(bad)[..40]);
        await h.WaitSettledAsync(7, TimeSpan.FromSeconds(90)); // a FIFO read would block the intake for ever

        using (var store = h.OpenStore())
        {
            Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
            var rejected = store.WithStatus(RecordStage.Rejected, 100);
            foreach (var name in new[] { "x.json", "environ.json", "bulk.jsonl", "pipe.json", "pipe.jsonl" })
            {
                var r = rejected.Single(x => x.Source == name);
                Assert.Equal(("file-type", "document"), (r.Rule, r.Field));
                Assert.Contains("regular files only", r.Reason);
            }
            Assert.Contains("symbolic link", rejected.Single(x => x.Source == "x.json").Reason);
            Assert.Contains("FIFO", rejected.Single(x => x.Source == "pipe.json").Reason);
            Assert.Equal("format", rejected.Single(x => x.Source == "truncated.json").Rule);
        }
        var kept = EverythingKept(h);
        Assert.DoesNotContain(Marker, kept);
        Assert.DoesNotContain("PATH=", kept);
        Assert.DoesNotContain("KP_", kept);
        Assert.Equal($"{{\"mnemonic\": \"{Marker}\"}}", await File.ReadAllTextAsync(secret)); // what a link points at is left alone
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.Inbox)); // the links and FIFOs themselves are gone

        // every copy in the rejected area is readable by its owner only, in a folder only the owner can enter
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(h.Rejected));
        var files = Directory.GetFiles(h.Rejected);
        Assert.Equal(2 * 6, files.Length);
        Assert.All(files, f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task An_oversized_original_kept_in_the_rejected_area_is_the_owners_only()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess();
        var huge = "{\"schemaVersion\": 1, \"padding\": \"" + new string('x', 1_100_000) + "\"}";
        h.DropText("huge.json", huge);
        await h.WaitSettledAsync(1);
        using var store = h.OpenStore();
        var r = store.WithStatus(RecordStage.Rejected, 10).Single();
        var original = Path.Combine(h.Rejected, $"{r.Id:D8}.original");
        for (var i = 0; i < 100 && !File.Exists(original); i++) await Task.Delay(50); // kept just after the rejection is stored
        Assert.True(File.Exists(original), string.Join(", ", Directory.GetFileSystemEntries(h.ServiceDirectory, "*", SearchOption.AllDirectories)));
        Assert.Equal(huge, await File.ReadAllTextAsync(original));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(original));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(h.Rejected, $"{r.Id:D8}.reason.json")));
    }

    [Fact]
    public async Task A_parcel_rejected_because_the_service_account_was_not_yet_a_member_is_anchored_when_its_file_is_dropped_again_after_the_member_is_added()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess(h.Settings(Outsider)); // not a member of anything yet
        var parcel = SampleRecords.OriginParcel("BW");
        var json = RecordJson.Write(parcel);
        h.DropText("mine-output.json", json);
        await h.WaitSettledAsync(1);
        using (var store = h.OpenStore())
        {
            var first = store.ByHash(parcel.Hash().ToString()).Single();
            Assert.Equal(RecordStage.Rejected, first.Stage);
            Assert.Equal("NotAMember", first.Rule);
            Assert.Contains("drop the file again", first.Reason);
        }

        await h.Registry.As(BwAuthority).AddMemberAsync(Account(Outsider).Address);
        h.DropText("mine-output.json", json); // the very same file, same name and bytes
        await h.WaitSettledAsync(2);
        using (var store = h.OpenStore())
        {
            var rows = store.ByHash(parcel.Hash().ToString());
            Assert.Equal([RecordStage.Rejected, RecordStage.Confirmed], rows.Select(r => r.Stage));
        }
        Assert.True((await h.Registry.Reader.ParcelAsync(parcel.Hash())).Exists);

        // dropped once more, now that it is anchored: refused as a duplicate, and said so (not silently ignored)
        h.DropText("mine-output.json", json);
        await h.WaitSettledAsync(3);
        using (var store = h.OpenStore())
        {
            var last = store.ByHash(parcel.Hash().ToString())[^1];
            Assert.Equal(("duplicate", RecordStage.Rejected), (last.Rule, last.Stage));
        }
    }

    [Fact]
    public async Task A_bulk_file_that_is_a_symlink_to_a_real_bulk_file_is_not_read_but_the_real_file_is_when_dropped()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, 3).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var elsewhere = Path.Combine(h.Folder, "export.jsonl");
        await File.WriteAllTextAsync(elsewhere, string.Join("\n", parcels.Select(p => RecordJson.Write(p).ReplaceLineEndings(""))) + "\n");
        Directory.CreateDirectory(h.Inbox);
        File.CreateSymbolicLink(Path.Combine(h.Inbox, "linked.jsonl"), elsewhere);
        using var host = h.StartInProcess();
        await h.WaitSettledAsync(1);
        using (var store = h.OpenStore())
        {
            Assert.Equal("file-type", store.WithStatus(RecordStage.Rejected, 10).Single().Rule);
            Assert.All(parcels, p => Assert.Empty(store.ByHash(p.Hash().ToString())));
        }
        h.DropLines("export.jsonl", parcels);
        await h.WaitSettledAsync(4);
        using var after = h.OpenStore();
        Assert.Equal(3, after.Counts()[RecordStage.Confirmed]);
    }
}
