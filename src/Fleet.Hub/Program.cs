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
var data = Path.GetFullPath(options.DataDirectory);
Console.WriteLine(options.Insecure
    ? $"fleet-hub listening on {options.EffectiveUrls} (plaintext, no authentication: --insecure), data in {data}"
    : $"fleet-hub listening on {options.EffectiveUrls} (TLS; clients trust {Path.Combine(data, "ca.crt")}, admin token in {Path.Combine(data, "admin.token")}), data in {data}");
await app.RunAsync();
return 0;
