using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Hashing;
using Traceability.Core.Merkle;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Cli.Commands;

/// <summary>kp hash, kp salt, kp merkle root|proof: offline commands.</summary>
internal static class HashCommands
{
    public static Command Hash(CommandRunner run)
    {
        var file = new Argument<FileInfo>("document") { Description = "a record document (JSON)" };
        var typed = new Option<bool>("--typed-data") { Description = "print the standard eth_signTypedData_v4 JSON instead, for any EIP-712 tool" };
        var command = new Command("hash", "print a record's EIP-712 hash (what goes on-chain)\nExample: kp hash p1.json") { file, typed };
        run.Bind(command, ctx =>
        {
            var record = Documents.Load(ctx.Parse.GetValue(file)!);
            if (ctx.Parse.GetValue(typed))
            {
                var d = ctx.Deployment;
                var domain = d is null ? null : new Eip712Domain(d.ChainId, d.Address);
                ctx.Out.Write(TypedDataJson.Write(RecordSchema.Schema, record.ToEip712(), domain));
                return Task.FromResult(ExitCodes.Ok);
            }
            var hash = record.Hash();
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    kind = record.Kind.ToJsonName(),
                    hash = hash.ToString(),
                    numberHash = (record as CertificateRecord)?.NumberHash.ToString(),
                    detailsHash = (record as CertificateRecord)?.DetailsHash.ToString(),
                });
            }
            else ctx.Out.WriteLine(hash);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    public static Command Salt(CommandRunner run)
    {
        var command = new Command("salt", "print a fresh random 32-byte salt for a new record\nExample: kp salt");
        run.Bind(command, ctx =>
        {
            var salt = Core.Primitives.Salt.New();
            if (ctx.Json) Output.WriteJson(ctx.Out, new { salt = salt.ToString() });
            else ctx.Out.WriteLine(salt);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    public static Command Merkle(CommandRunner run)
    {
        var command = new Command("merkle", "OpenZeppelin StandardMerkleTree of bytes32 leaves (one 0x value a line)\nExample: kp merkle root leaves.txt");
        var rootFile = new Argument<FileInfo>("leaves") { Description = "file with one 0x-prefixed bytes32 a line" };
        var root = new Command("root", "print the tree's root\nExample: kp merkle root leaves.txt") { rootFile };
        run.Bind(root, ctx =>
        {
            var tree = StandardMerkleTree.Of(ReadLeaves(ctx.Parse.GetValue(rootFile)!));
            if (ctx.Json) Output.WriteJson(ctx.Out, new { root = tree.Root.ToString(), leaves = tree.Values.Count });
            else ctx.Out.WriteLine(tree.Root);
            return Task.FromResult(ExitCodes.Ok);
        });
        var proofFile = new Argument<FileInfo>("leaves") { Description = "file with one 0x-prefixed bytes32 a line" };
        var index = StrictOptions.IntegerArgument("index", "0-based index of the leaf in the file", 0, int.MaxValue);
        var proof = new Command("proof", "print the proof of one leaf, one node a line, as the contract checks it\nExample: kp merkle proof leaves.txt 3 > proof.txt") { proofFile, index };
        run.Bind(proof, ctx =>
        {
            var leaves = ReadLeaves(ctx.Parse.GetValue(proofFile)!);
            var i = ctx.Parse.GetValue(index);
            if (i < 0 || i >= leaves.Count) throw new CliUsageException($"index: {i} is outside the {leaves.Count} leaves (0 to {leaves.Count - 1})");
            var tree = StandardMerkleTree.Of(leaves);
            var nodes = tree.GetProof(i);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { root = tree.Root.ToString(), leaf = leaves[i].ToString(), index = i, proof = nodes.Select(n => n.ToString()) });
            else foreach (var n in nodes) ctx.Out.WriteLine(n);
            return Task.FromResult(ExitCodes.Ok);
        });
        var files = new Argument<FileInfo[]>("files") { Description = $"the auxiliary records to anchor (sorting logs, photos, movements), each a regular file of at most {InputFiles.BulkBytes >> 20} MiB", Arity = ArgumentArity.OneOrMore };
        var leaves = new Command("leaves", "hash files into anchor leaves: keccak256 of each file's bytes, one 0x value a line in the order given, "
            + "exactly what kp merkle root|proof and kp anchor read\nExample: kp merkle leaves log1.csv photo.jpg > leaves.txt") { files };
        run.Bind(leaves, ctx =>
        {
            var hashed = ctx.Parse.GetValue(files)!.Select(f => (File: f.ToString(), Leaf: LeafOf(f))).ToList();
            foreach (var empty in hashed.Where(h => h.Leaf == EmptyLeaf))
            {
                ctx.Err.WriteLine($"warning: {empty.File} is empty: its leaf is keccak256 of nothing, the same for every empty file");
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, new { leaves = hashed.Select(h => new { file = h.File, leaf = h.Leaf.ToString() }) });
            else foreach (var h in hashed) ctx.Out.WriteLine(h.Leaf);
            return Task.FromResult(ExitCodes.Ok);
        });
        command.Subcommands.Add(root);
        command.Subcommands.Add(proof);
        command.Subcommands.Add(leaves);
        return command;
    }

    private static readonly Core.Primitives.Hash32 EmptyLeaf = Core.Primitives.Keccak.Hash(ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// The anchor leaf of an auxiliary record: keccak256 of the file's bytes (a regular file of at most
    /// <see cref="InputFiles.BulkBytes"/>). It is the bytes32 value a leaves file holds; the tree hashes it
    /// again as OpenZeppelin's StandardMerkleTree does, and kp anchor check takes it as the leaf.
    /// </summary>
    public static Hash32 LeafOf(FileInfo file) => Keccak.Hash(InputFiles.ReadBytes(file.FullName, InputFiles.BulkBytes, "file"));

    /// <summary>The lines of a bulk input file (a regular file of at most <see cref="InputFiles.BulkBytes"/>).</summary>
    public static string[] ReadLines(FileInfo file) =>
        InputFiles.ReadText(file.FullName, InputFiles.BulkBytes, "input file").Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Reads one bytes32 a line; blank lines are skipped; a bad line is named by its number.</summary>
    public static IReadOnlyList<Hash32> ReadLeaves(FileInfo file)
    {
        var leaves = new List<Hash32>();
        var n = 0;
        foreach (var line in ReadLines(file))
        {
            n++;
            var text = line.Trim();
            if (text.Length == 0) continue;
            if (!Hash32.TryParse(text, out var h))
            {
                throw new CliUsageException($"{file.Name}: line {n.ToString(CultureInfo.InvariantCulture)}: expected 0x followed by 64 hex digits");
            }
            leaves.Add(h);
        }
        if (leaves.Count == 0) throw new CliUsageException($"{file.Name}: no leaves: a tree needs at least one");
        return leaves;
    }
}
