return await Fleet.Hub.Hosting.HubProgram.RunAsync(args);
