namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// All the health listener serves (SPEC §1 <c>--health-url</c>): <c>GET /healthz</c>, 200 while the process serves,
/// and <c>GET /readyz</c>, 200 only when this node is ready, else 503 with the reason; HEAD of both; 405 for other
/// methods there, 404 for every other path. Answers are plain text, one line, never cached by a proxy.
/// </summary>
internal static class HealthEndpoints
{
    public const string Live = "/healthz";
    public const string Ready = "/readyz";

    public static async Task HandleAsync(HttpContext context, ReadinessCheck readiness)
    {
        var path = context.Request.Path.Value;
        if (path is not (Live or Ready))
        {
            await AnswerAsync(context, StatusCodes.Status404NotFound, "not found: only /healthz and /readyz are served here");
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await AnswerAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed: use GET or HEAD");
            return;
        }

        if (path == Live)
        {
            await AnswerAsync(context, StatusCodes.Status200OK, "ok");
            return;
        }

        var answer = await readiness.CheckAsync();
        await AnswerAsync(context, answer.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, answer.Reason);
    }

    private static async Task AnswerAsync(HttpContext context, int status, string line)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var body = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
