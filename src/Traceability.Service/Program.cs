using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Traceability.Service.Hosting;

// The anchoring service on its own: dotnet Traceability.Service.dll --Anchoring:DeploymentPath=... 
// (or KP_Anchoring__... environment variables). kp serve runs the same host.
try
{
    using var host = ServiceHost.Build(args, holder: "Traceability.Service");
    var state = host.Services.GetRequiredService<ServiceState>(); // before the run: RunAsync disposes the host
    await host.RunAsync();
    return state.ExitCode;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("error: invalid settings: " + string.Join("; ", e.Failures));
    return 2;
}
catch (ServiceStartException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 3;
}
