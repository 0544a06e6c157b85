using Traceability.Cli;

return await KpApp.RunAsync(args, Console.Out, Console.Error);
