namespace Fleet.Agent.Enrollment;

/// <summary>The agent cannot get a certificate and retrying will not help (no token, a refused token): it stops.</summary>
internal sealed class EnrollmentException(string message) : Exception(message);
