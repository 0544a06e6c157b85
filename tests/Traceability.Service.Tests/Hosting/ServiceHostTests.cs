using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Service.Hosting;

namespace Traceability.Service.Tests.Hosting;

/// <summary>What the service's host is configured from: exactly the documented sources, no file of the working directory.</summary>
[Trait("Category", "Fast")]
public class ServiceHostTests
{
    [Fact]
    public void The_configuration_reads_and_watches_no_file_only_settings_environment_and_command_line()
    {
        // the host's defaults would read appsettings.json from the working directory and watch every folder under it
        // (run from a repository: thousands of inotify watches, an event for every file the drop folder takes in)
        using var host = ServiceHost.Build(["--Anchoring:MaxBatchSize=7"], new Dictionary<string, string?> { ["Anchoring:MaxBatchSize"] = "5" });
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        Assert.DoesNotContain(configuration.Providers, p => p is FileConfigurationProvider);
        Assert.Equal("7", configuration["Anchoring:MaxBatchSize"]); // the command line over the settings
    }
}
