using Fleet.Hub.Hosting;

var (options, errors, help) = HubOptionsParser.Parse(args);
if (help)
{
    Console.WriteLine(HubOptionsParser.Usage);
    return 0;
}

if (options is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    Console.Error.WriteLine(HubOptionsParser.Usage);
    return 2;
}

var app = HubHost.Build(options);
Console.WriteLine($"fleet-hub listening on {options.EffectiveUrls} (plaintext, no authentication: --insecure), data in {Path.GetFullPath(options.DataDirectory)}");
await app.RunAsync();
return 0;
