using OrleansMl.Cli;

return await CliApp.RunMainAsync(args, CliApp.BuildRootCommand);
