namespace Fleet.Cli.Connection;

/// <summary>Where the CLI's token and CA come from: the flag, else the environment (SPEC §1 CLI).</summary>
internal static class HubCredentials
{
    public static string? Token(string? flag)
    {
        var token = !string.IsNullOrWhiteSpace(flag) ? flag : Environment.GetEnvironmentVariable("FLEET_TOKEN");
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    public static string? CaFile(string? flag)
    {
        var path = !string.IsNullOrWhiteSpace(flag) ? flag : Environment.GetEnvironmentVariable("FLEET_CA");
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        return File.Exists(path) ? path : throw new UsageException($"the CA file {path} (--ca or FLEET_CA) does not exist");
    }
}
