using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using Json.Schema;
using Traceability.Cli.Infrastructure;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>The JSON Schemas of kp's --json output (docs/schemas/), and kp's command tree they cover.</summary>
internal static class JsonSchemas
{
    /// <summary>docs/schemas/ of the checkout.</summary>
    public static string Folder => RepoPaths.Under("docs", "schemas");

    /// <summary>The schema file of a command path ("cert history" -> cert-history.schema.json; "error" -> error.schema.json).</summary>
    public static string FileOf(string command) => Path.Combine(Folder, command.Replace(' ', '-') + ".schema.json");

    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new(StringComparer.Ordinal);

    /// <summary>The schema of a command path, read once (each in its own registry: the same $id is never registered twice).</summary>
    public static JsonSchema Of(string command) => Loaded.GetOrAdd(command, c =>
        JsonSchema.FromText(File.ReadAllText(FileOf(c)), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    /// <summary>
    /// Asserts that <paramref name="text"/> is exactly one JSON document (nothing before or after it) and that it
    /// validates against the schema of <paramref name="command"/>; the failure names every error and shows the text.
    /// </summary>
    public static void AssertValid(string command, string text, string context)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text); // one document: trailing text is an error
        }
        catch (JsonException e)
        {
            Assert.Fail($"{context}: not exactly one JSON document ({e.Message}):\n{text}");
            return;
        }
        using (doc)
        {
            var result = Of(command).Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Key}: {e.Value}"));
                Assert.Fail($"{context}: does not match {Path.GetFileName(FileOf(command))}:\n{string.Join("\n", errors)}\n{text}");
            }
        }
    }

    /// <summary>Every command of kp's tree that runs something, by its path ("cert history"), in tree order.</summary>
    public static IReadOnlyList<string> RunnableCommands()
    {
        var runner = new CommandRunner(TextWriter.Null, TextWriter.Null, new Dictionary<string, string?>());
        var found = new List<string>();
        void Walk(Command c, string path)
        {
            if (path.Length > 0 && c.Action is not null) found.Add(path);
            foreach (var s in c.Subcommands) Walk(s, path.Length == 0 ? s.Name : $"{path} {s.Name}");
        }
        Walk(KpApp.Tree(runner), "");
        return found;
    }

    /// <summary>Commands with no --json output by nature, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> WithoutOutput = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["serve"] = "runs the anchoring service until stopped: it writes a log, never a result (its errors are JSON with --json, as every command's)",
    };
}
