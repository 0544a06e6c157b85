using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Traceability.Portal.Api;
using Traceability.Portal.Chain;
using Traceability.Portal.Pages;
using Traceability.Portal.Verification;

namespace Traceability.Portal.Hosting;

/// <summary>Builds the portal (used by its own program, by kp portal and by the tests).</summary>
public static class PortalHost
{
    /// <summary>The OpenAPI route serves v1 only: any other name is the portal's own 404 (problem details), not the framework's bare text.</summary>
    private static Task OnlyTheOpenApiDocument(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments("/openapi") && !http.Request.Path.Equals("/openapi/v1.json", StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound; // answered by the status code pages above
            return Task.CompletedTask;
        }
        return next(http);
    }

    /// <summary>
    /// The portal's web application, configured from <paramref name="args"/> (--Portal:RpcUrl=...),
    /// environment variables prefixed KP_ (KP_Portal__RpcUrl=...) and <paramref name="settings"/> (keys
    /// "Portal:…", see <see cref="PortalOptions"/>). The options are validated when it starts
    /// (<see cref="OptionsValidationException"/>). It listens on Portal:ListenAddress and Portal:Port
    /// (0: a free port; <see cref="Address"/> tells which once started). With <paramref name="inProcess"/> (kp bench verify) the
    /// program it runs in keeps Ctrl+C and SIGTERM (<see cref="InProcessLifetime"/>).
    /// </summary>
    public static WebApplication Build(string[]? args = null, IDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null, bool inProcess = false)
    {
        args ??= [];
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // appsettings.json beside the program is read once, never watched: a watch covers every folder under the content root
            // first: a trailing switch without a value would take it for its value
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("KP_");
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddCommandLine(args);
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            // logs go to standard error: standard output stays for what kp prints (one JSON document with --json)
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else logging(builder.Logging);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        var section = builder.Configuration.GetSection(PortalOptions.Section);
        var o = section.Get<PortalOptions>() ?? new PortalOptions();
        builder.Services.AddOptions<PortalOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<PortalOptions>>().Value);
        builder.Services.AddSingleton<PortalChain>();
        builder.Services.AddSingleton(sp => new ReportCache(sp.GetRequiredService<PortalOptions>().VerificationCacheEntries));
        builder.Services.AddSingleton<PortalVerifier>();
        builder.Services.AddSingleton<CertificateLookup>();
        builder.Services.AddSingleton<AnchorLookup>();
        builder.Services.AddSingleton<EpcisInput>();
        builder.Services.AddSingleton<DocumentInput>();
        builder.Services.AddSingleton<PortalLinks>();
        if (inProcess) builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = o.MaxBodyBytes;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            k.Listen(IPAddress.TryParse(o.ListenAddress, out var ip) ? ip : IPAddress.Loopback, o.Port);
        });
        builder.Services.Configure<FormOptions>(f =>
        {
            f.MultipartBodyLengthLimit = o.MaxBodyBytes;
            f.ValueLengthLimit = o.MaxBodyBytes;
            f.ValueCountLimit = 64;
            f.MultipartHeadersCountLimit = 16;
        });
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            j.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // numbers are numbers, in and out (and in the OpenAPI schemas)
            j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<PortalProblems>();
        builder.Services.AddRateLimiter(r =>
        {
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = o.RequestsPerWindow,
                    Window = TimeSpan.FromSeconds(o.WindowSeconds),
                    QueueLimit = 0,
                }));
            r.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(o.WindowSeconds);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await PortalProblems.WriteAsync(http.RequestServices.GetRequiredService<IProblemDetailsService>(), http, StatusCodes.Status429TooManyRequests,
                    "Too many requests", $"this client made more than {o.RequestsPerWindow} requests in {o.WindowSeconds} s; retry after {seconds} s", null);
            };
        });
        builder.Services.AddOpenApi(a => a.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "KP verification portal API";
            doc.Info.Version = "v1";
            doc.Info.Description = "Read-only API of the Kimberley Process traceability registry: verify documents (the report of kp verify --json), look up certificates, parcels, anchored batches (and EPCIS events in them) and participants. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        app.Use(SecurityHeaders.Apply);
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            await PortalProblems.WriteAsync(context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>(), http, status,
                PortalProblems.TitleOf(status), status switch
                {
                    404 => $"path: nothing is served at {http.Request.Path}",
                    405 => $"method: {http.Request.Method} is not allowed on {http.Request.Path}",
                    415 => $"Content-Type: expected application/json, got '{http.Request.ContentType ?? "none"}'",
                    _ => $"the request was refused ({status})",
                }, status switch { 404 => "path", 405 => "method", 415 => "Content-Type", _ => null });
        });
        app.UseRateLimiter();
        app.Use(OnlyTheOpenApiDocument);
        app.MapPages();
        app.MapApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api", (s, http) => s
            .WithTitle("KP verification portal API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .WithNonce(SecurityHeaders.Nonce(http))
            .DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp().HideDeveloperTools());
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var chain = app.Services.GetRequiredService<PortalChain>();
            PortalLog.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Traceability.Portal"), chain.Registry, chain.RpcUrl, Address(app));
        });
        return app;
    }

    /// <summary>The address the started portal listens on, for example http://127.0.0.1:41234.</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("the portal is not started");
}
