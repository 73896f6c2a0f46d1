using System.Security.Cryptography;
using System.Text;

namespace Fleet.Hub.Dashboard.Auth;

/// <summary>The random values of the dashboard's cookies and forms, and their one comparison.</summary>
internal static class CsrfTokens
{
    /// <summary>The field every form posts its CSRF token in.</summary>
    public const string Field = "csrf";

    /// <summary>The length of <see cref="New"/>'s values.</summary>
    public const int Length = 43;

    /// <summary>256 random bits, base64url: a session id or a CSRF token.</summary>
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Constant time, so that how long a refusal takes says nothing about how much of a guess was right.</summary>
    public static bool Matches(string? expected, string? posted) =>
        !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(posted)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(posted));
}
