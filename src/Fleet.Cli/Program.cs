return await Fleet.Cli.FleetCli.RunAsync(args);
