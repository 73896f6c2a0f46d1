using System.Globalization;

namespace Fleet.Hub.Hosting;

/// <summary>Parses fleet-hub's flags; every problem is reported, and a bad command line starts nothing.</summary>
public static class HubOptionsParser
{
    public const string Usage = """
        usage: fleet-hub [--urls URL] [--data-dir DIR] [--storage sqlite] [--silo-port N] [--gateway-port N] [--insecure]

          --urls URL          where it listens for agents and operators (default https://127.0.0.1:7400, http:// with --insecure)
          --data-dir DIR      embedded storage directory, created if missing (default .fleet/hub)
          --storage KIND      state backend: sqlite (default)
          --silo-port N       Orleans silo port (default 11111)
          --gateway-port N    Orleans gateway port (default 30000)
          --insecure          plaintext h2c and no authentication: local development only
        """;

    public static (HubOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var options = new HubOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = Split(args[i]);
            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{flag} needs a value");
                return null;
            }

            switch (flag)
            {
                case "-h" or "--help":
                    return (null, [], true);
                case "--insecure":
                    options = options with { Insecure = true };
                    break;
                case "--urls":
                    if (Value() is { } urls)
                    {
                        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                            {
                                errors.Add($"--urls: '{url}' is not an http:// or https:// URL");
                            }
                        }

                        options = options with { Urls = urls };
                    }

                    break;
                case "--data-dir":
                    if (Value() is { } dir)
                    {
                        options = options with { DataDirectory = dir };
                    }

                    break;
                case "--storage":
                    if (Value() is { } storage)
                    {
                        if (storage != "sqlite")
                        {
                            errors.Add($"--storage: '{storage}' is not supported by this hub (supported: sqlite)");
                        }

                        options = options with { Storage = storage };
                    }

                    break;
                case "--silo-port":
                    if (Port(Value(), flag, errors) is { } silo)
                    {
                        options = options with { SiloPort = silo };
                    }

                    break;
                case "--gateway-port":
                    if (Port(Value(), flag, errors) is { } gateway)
                    {
                        options = options with { GatewayPort = gateway };
                    }

                    break;
                default:
                    errors.Add($"unknown argument '{args[i]}'");
                    break;
            }
        }

        if (!options.Insecure && errors.Count == 0)
        {
            errors.Add("this hub build serves only plaintext for local development: start it with --insecure " +
                       "(TLS, enrollment and operator tokens arrive with the security work)");
        }

        return (errors.Count == 0 ? options : null, errors, false);
    }

    private static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static int? Port(string? text, string flag, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        errors.Add($"{flag}: '{text}' is not a port number (1-65535)");
        return null;
    }
}
