using Microsoft.Extensions.Options;
using Traceability.Portal.Hosting;

// The portal on its own: dotnet Traceability.Portal.dll --Portal:DeploymentPath=deployment.json [--Portal:Port=8080]
// (or --Portal:RpcUrl=… --Portal:RegistryAddress=…; or KP_Portal__… variables). kp portal hosts the same PortalHost.
// A setting that is wrong stops it with the setting named and exit code 2, never a stack trace.
try
{
    var app = PortalHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("error: invalid portal settings: " + string.Join("; ", e.Failures));
    return 2;
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync("error: the portal cannot listen: " + e.Message);
    return 3;
}
