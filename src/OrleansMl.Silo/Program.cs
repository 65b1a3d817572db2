using OrleansMl.Silo.Hosting;

return await OrleansMlHost.RunAsync(args);
