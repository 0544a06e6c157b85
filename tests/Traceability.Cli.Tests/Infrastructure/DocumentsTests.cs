using Traceability.Cli.Infrastructure;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Infrastructure;

/// <summary>Documents.LoadAll, behind kp verify --ancestors: a folder is read non-recursively, its *.json files only.</summary>
[Trait("Category", "Fast")]
public class DocumentsTests
{
    [Fact]
    public void A_folder_gives_its_own_json_documents_never_its_subfolders()
    {
        var samples = new DirectoryInfo(RepoPaths.Under("samples"));
        Assert.True(Directory.Exists(Path.Combine(samples.FullName, "bad"))); // broken documents one level down

        var records = Documents.LoadAll([samples]);

        Assert.Equal(samples.GetFiles("*.json").Length, records.Count);
        Assert.Equal(4, records.OfType<ParcelRecord>().Count());
        Assert.Single(records.OfType<TransformationRecord>());
        Assert.Single(records.OfType<CertificateRecord>());
        Assert.Single(records.OfType<ImportConfirmationRecord>());
    }

    [Fact]
    public void Every_json_file_directly_in_a_folder_must_be_a_document()
    {
        var bad = new DirectoryInfo(RepoPaths.Under("samples", "bad"));
        var e = Assert.Throws<CliUsageException>(() => Documents.LoadAll([bad]));
        Assert.Contains(".json: ", e.Message); // names the file
    }

    [Fact]
    public void Kps_own_configuration_in_a_folder_is_not_taken_for_a_document_but_any_other_json_is()
    {
        var dir = Directory.CreateTempSubdirectory("kp-docs-");
        try
        {
            File.Copy(RepoPaths.Under("samples", "certificate-bw-ae.json"), Path.Combine(dir.FullName, "cert.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "kp.config.json"), """{"accounts": {"miner": {"index": 6}}}""");
            Assert.Single(Documents.LoadAll([dir]).OfType<CertificateRecord>());
            File.WriteAllText(Path.Combine(dir.FullName, "notes.json"), """{"accounts": {}}""");
            Assert.Contains("notes.json", Assert.Throws<CliUsageException>(() => Documents.LoadAll([dir])).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
