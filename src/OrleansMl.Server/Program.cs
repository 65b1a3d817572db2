using OrleansMl.Cli;
using OrleansMl.Server;

return await CliApp.RunMainAsync(args, ServerCli.BuildRootCommand);
