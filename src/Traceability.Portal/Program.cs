using Traceability.Portal.Hosting;

// The portal on its own: dotnet Traceability.Portal.dll --Portal:DeploymentPath=deployment.json [--Portal:Port=8080]
// (or --Portal:RpcUrl=… --Portal:RegistryAddress=…; or KP_Portal__… variables). kp portal hosts the same PortalHost.
var app = PortalHost.Build(args);
await app.RunAsync();
