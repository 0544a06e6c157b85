using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Service.Anchoring;
using Traceability.Service.Intake;

namespace Traceability.Service.Hosting;

/// <summary>Builds the anchoring service's host (used by its own program and by kp serve / kp demo).</summary>
public static class ServiceHost
{
    /// <summary>
    /// A host configured from <paramref name="args"/> (for example --Anchoring:RpcUrl=...), environment
    /// variables prefixed KP_ (KP_Anchoring__MaxBatchSize=...), and <paramref name="settings"/>.
    /// </summary>
    /// <remarks>
    /// Starting the host takes the service folder (<see cref="ServiceFolder"/>) before anything reads the
    /// inbox or the store: on a folder in use, or a store bound to another deployment, starting throws
    /// <see cref="ServiceStartException"/>. After a run, <see cref="ServiceState.ExitCode"/> says why it stopped.
    /// The account's secrets (KP_MNEMONIC, the keystore password) come from <paramref name="environment"/>
    /// (default: the process's): a host in a process beside others (a multi-party run, a test) is given its own.
    /// </remarks>
    /// <param name="args">Command-line settings.</param>
    /// <param name="settings">Settings that take precedence over the environment's.</param>
    /// <param name="logging">Logging set-up (default: one line per message on the console).</param>
    /// <param name="holder">Who holds the service folder (named to a second service on it).</param>
    /// <param name="environment">Where the account's secrets come from (default: the process's environment).</param>
    /// <param name="inProcess">The host runs inside another program (kp demo, kp bench anchor), which keeps Ctrl+C and SIGTERM
    /// (<see cref="InProcessLifetime"/>); false for a service of its own (its program, kp serve): a signal stops the host gracefully.</param>
    public static IHost Build(string[] args, IDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null, string holder = "the anchoring service",
        Func<string, string?>? environment = null, bool inProcess = false)
    {
        // no defaults: the configuration is exactly what is documented (the settings, KP_ variables, the command line). The
        // defaults would read appsettings.json from the working directory and watch that directory, every folder under it,
        // for changes: run from a repository that is thousands of folders (node_modules) and inotify watches, and every file
        // the drop folder takes in under it an event for kp to handle (measured: 11 % of kp's CPU in kp bench anchor).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddEnvironmentVariables("KP_");
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddCommandLine(args);
        builder.Logging.ClearProviders();
        if (logging is null) builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        else logging(builder.Logging);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddOptions<AnchoringOptions>().Bind(builder.Configuration.GetSection(AnchoringOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AnchoringOptions>, AnchoringOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<AnchoringOptions>>().Value);
        builder.Services.AddSingleton(sp => new ServiceFolder(sp.GetRequiredService<AnchoringOptions>(), holder));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<ServiceFolder>().Store);
        builder.Services.AddSingleton(sp => new RejectedArea(sp.GetRequiredService<AnchoringOptions>().Layout.Rejected));
        builder.Services.AddSingleton(sp => new ChainSession(sp.GetRequiredService<IOptions<AnchoringOptions>>(), environment));
        builder.Services.AddSingleton<ServiceState>();
        builder.Services.AddSingleton<IRegistryView>(sp => new ChainRegistryView(sp.GetRequiredService<ChainSession>()));
        builder.Services.AddSingleton<ParsedRecords>();
        builder.Services.AddSingleton<RecordChecks>();
        builder.Services.AddSingleton<Anchorer>();
        builder.Services.AddHostedService<DropFolderIntake>();
        builder.Services.AddHostedService<AnchoringWorker>();
        builder.Services.AddHostedService<StatusEndpoint>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        if (inProcess) builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        return builder.Build();
    }
}
