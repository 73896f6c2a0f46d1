using Fleet.Hub.Security;

namespace Fleet.Hub.Tests.Security;

/// <summary>What every security store backend must do alike; one subclass per storage backend.</summary>
public abstract class SecurityStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private ISecurityStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await DisposeStoreAsync();
    }

    /// <summary>Opens the store on this test's storage (a file, a database), which survives <see cref="CloseAsync"/>.</summary>
    private protected abstract ValueTask<ISecurityStore> OpenAsync();

    /// <summary>Releases the store opened last.</summary>
    protected abstract ValueTask CloseAsync();

    /// <summary>Releases the storage itself, once the test is done.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task InsertToken_ThenFindAndList_RoundTripsEveryField()
    {
        var bound = Token("t1", FleetRole.Agent, target: "web-1", expires: Now.AddHours(1));
        var admin = Token("t2", FleetRole.Admin, created: Now.AddSeconds(1));
        await _store.InsertToken(bound);
        await _store.InsertToken(admin);

        var found = await _store.FindToken("t1");

        Assert.NotNull(found);
        Assert.Equal((bound.Id, bound.Role, bound.Description, bound.Target, bound.Created, bound.Expires, bound.CreatedBy),
            (found.Id, found.Role, found.Description, found.Target, found.Created, found.Expires, found.CreatedBy));
        Assert.Equal(bound.SecretHash, found.SecretHash);
        Assert.Null(found.Used);
        Assert.Null(found.Revoked);
        Assert.Null(await _store.FindToken("nope"));
        Assert.Equal(["t1", "t2"], (await _store.ListTokens()).Select(t => t.Id));
    }

    [Fact]
    public async Task RevokeAdminTokens_LeavesNoUsableAdminToken()
    {
        await _store.InsertToken(Token("a1", FleetRole.Admin));
        await _store.InsertToken(Token("a2", FleetRole.Admin, expires: Now.AddMinutes(-1)));
        await _store.InsertToken(Token("o1", FleetRole.Operator));
        Assert.True(await _store.HasUsableAdminToken(Now));

        Assert.Equal(2, await _store.RevokeAdminTokens(Now));

        Assert.False(await _store.HasUsableAdminToken(Now));
        Assert.Null((await _store.FindToken("o1"))!.Revoked);
        Assert.False(await _store.RevokeToken("a1", Now));
        Assert.True(await _store.RevokeToken("o1", Now));
    }

    [Fact]
    public async Task ConsumeEnrollmentToken_OneTokenRacedByManyAgents_ExactlyOneWins()
    {
        var (id, hash) = ("agent-token", Hash(7));
        await _store.InsertToken(Token(id, FleetRole.Agent, hash: hash));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _store.ConsumeEnrollmentToken(id, hash, Certificate($"serial-{i}", $"target-{i}"), Now)));

        Assert.Equal(1, outcomes.Count(o => o == EnrollmentRefusal.None));
        Assert.All(outcomes.Where(o => o != EnrollmentRefusal.None), o => Assert.Equal(EnrollmentRefusal.Used, o));
        Assert.NotNull((await _store.FindToken(id))!.Used);
        var winner = Array.IndexOf(outcomes, EnrollmentRefusal.None);
        Assert.NotNull(await _store.FindCertificate($"serial-{winner}"));
        Assert.Null(await _store.FindCertificate($"serial-{(winner + 1) % 8}"));
    }

    [Fact]
    public async Task ConsumeEnrollmentToken_TwoUnboundTokensRacingForOneTarget_OneWinsTheOtherFindsItEnrolled()
    {
        await _store.InsertToken(Token("u1", FleetRole.Agent, hash: Hash(1)));
        await _store.InsertToken(Token("u2", FleetRole.Agent, hash: Hash(2)));

        var outcomes = await Task.WhenAll(
            _store.ConsumeEnrollmentToken("u1", Hash(1), Certificate("s1", "web-1"), Now),
            _store.ConsumeEnrollmentToken("u2", Hash(2), Certificate("s2", "web-1"), Now));

        Assert.Equal([EnrollmentRefusal.None, EnrollmentRefusal.AlreadyEnrolled], outcomes.Order());
    }

    [Fact]
    public async Task ConsumeEnrollmentToken_RefusedToken_ChangesNothing()
    {
        await _store.InsertToken(Token("bound", FleetRole.Agent, hash: Hash(1), target: "web-1"));
        await _store.InsertToken(Token("viewer", FleetRole.Viewer, hash: Hash(2)));

        Assert.Equal(EnrollmentRefusal.UnknownToken, await _store.ConsumeEnrollmentToken("bound", Hash(9), Certificate("s1", "web-1"), Now));
        Assert.Equal(EnrollmentRefusal.OtherTarget, await _store.ConsumeEnrollmentToken("bound", Hash(1), Certificate("s2", "web-2"), Now));
        Assert.Equal(EnrollmentRefusal.WrongRole, await _store.ConsumeEnrollmentToken("viewer", Hash(2), Certificate("s3", "web-1"), Now));
        Assert.Equal(EnrollmentRefusal.UnknownToken, await _store.ConsumeEnrollmentToken("missing", Hash(1), Certificate("s4", "web-1"), Now));

        Assert.Null((await _store.FindToken("bound"))!.Used);
        Assert.Null(await _store.FindCertificate("s1"));
        Assert.Null(await _store.FindCertificate("s2"));
    }

    [Fact]
    public async Task InsertToken_WithALabelPolicy_RoundTripsIt_AndATrustingTokenHasNone()
    {
        var policy = new LabelPolicy(new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu" }, ["zone"], "exec");
        await _store.InsertToken(Token("fixed", FleetRole.Agent) with { Policy = policy });
        await _store.InsertToken(Token("trusting", FleetRole.Agent));

        var found = (await _store.FindToken("fixed"))!.Enrollment;
        var listed = (await _store.ListTokens()).ToDictionary(t => t.Id, t => t.Enrollment);

        Assert.Equal(policy.Labels, found.Labels);
        Assert.Equal(["zone"], found.AllowedKeys);
        Assert.Equal("exec", found.Driver);
        Assert.Equal(policy.Labels, listed["fixed"].Labels);
        Assert.True(listed["trusting"].IsTrusting);
        Assert.True((await _store.FindToken("trusting"))!.Enrollment.IsTrusting);
    }

    [Fact]
    public async Task ConsumeEnrollmentToken_CopiesTheTokensPolicyToTheTarget_AndAnotherEnrollmentReplacesIt()
    {
        var policy = new LabelPolicy(new Dictionary<string, string> { ["env"] = "prod" }, [], null);
        await _store.InsertToken(Token("fixed", FleetRole.Agent, hash: Hash(1), target: "web-1") with { Policy = policy });
        await _store.InsertToken(Token("trusting", FleetRole.Agent, hash: Hash(2), target: "web-1"));
        await _store.InsertToken(Token("refused", FleetRole.Agent, hash: Hash(3), target: "web-2") with { Policy = policy });
        Assert.True((await _store.FindTargetPolicy("web-1")).IsTrusting);

        Assert.Equal(EnrollmentRefusal.None, await _store.ConsumeEnrollmentToken("fixed", Hash(1), Certificate("s1", "web-1"), Now));
        var enrolled = await _store.FindTargetPolicy("web-1");
        Assert.Equal(EnrollmentRefusal.OtherTarget, await _store.ConsumeEnrollmentToken("refused", Hash(3), Certificate("s3", "web-3"), Now));

        Assert.Equal(policy.Labels, enrolled.Labels);
        Assert.True((await _store.FindTargetPolicy("web-2")).IsTrusting);
        Assert.True((await _store.FindTargetPolicy("web-3")).IsTrusting);

        // A later enrollment decides afresh: a trusting token leaves the target trusting.
        Assert.Equal(EnrollmentRefusal.None, await _store.ConsumeEnrollmentToken("trusting", Hash(2), Certificate("s2", "web-1"), Now));
        Assert.True((await _store.FindTargetPolicy("web-1")).IsTrusting);
    }

    [Fact]
    public async Task RevokeTarget_RevokesItsCertificatesAndUnusedBoundTokensOnly()
    {
        await _store.InsertCertificate(Certificate("live", "web-1"));
        await _store.InsertCertificate(Certificate("expired", "web-1", notAfter: Now.AddDays(-1)));
        await _store.InsertCertificate(Certificate("other", "web-2"));
        await _store.InsertToken(Token("bound", FleetRole.Agent, target: "web-1"));
        await _store.InsertToken(Token("unbound", FleetRole.Agent));

        var (certificates, tokens) = await _store.RevokeTarget("web-1", Now);

        Assert.Equal((1, 1), (certificates, tokens));
        Assert.Equal(Now, (await _store.FindCertificate("live"))!.Revoked);
        Assert.Equal(Now, (await _store.FindCertificate("expired"))!.Revoked);
        Assert.Null((await _store.FindCertificate("other"))!.Revoked);
        Assert.NotNull((await _store.FindToken("bound"))!.Revoked);
        Assert.Null((await _store.FindToken("unbound"))!.Revoked);
    }

    [Fact]
    public async Task AppendAndCompleteAudit_ListSinceWithLimit_GivesTheNewestOldestFirst()
    {
        var first = await _store.AppendAudit(Audit(Now.AddMinutes(-10), "Apply", "capability/a"));
        var second = await _store.AppendAudit(Audit(Now.AddMinutes(-5), "Apply", "capability/b"));
        var third = await _store.AppendAudit(Audit(Now, "Delete", ""));
        await _store.CompleteAudit(second, "ok", "", "revision 2");
        await _store.CompleteAudit(third, "failed", "capability/c", "not found");

        var all = await _store.ListAudit(null, 100);
        var recent = await _store.ListAudit(Now.AddMinutes(-6), 100);
        var newest = await _store.ListAudit(null, 2);

        Assert.True(first < second && second < third);
        Assert.Equal([first, second, third], all.Select(r => r.Sequence));
        Assert.Equal(("ok", "capability/b", "revision 2"), (all[1].Outcome, all[1].Object, all[1].Detail));
        Assert.Equal(("failed", "capability/c"), (all[2].Outcome, all[2].Object));
        Assert.Equal((Now.AddMinutes(-10), "token:x", "operator", "Apply", "started"), (all[0].Time, all[0].Who, all[0].Role, all[0].Method, all[0].Outcome));
        Assert.Equal([second, third], recent.Select(r => r.Sequence));
        Assert.Equal([second, third], newest.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Writes_StoreReopened_AreStillThere()
    {
        await _store.InsertToken(Token("t1", FleetRole.Operator));
        await _store.AppendAudit(Audit(Now, "Apply", "capability/a"));
        await CloseAsync();

        _store = await OpenAsync();

        Assert.NotNull(await _store.FindToken("t1"));
        Assert.Single(await _store.ListAudit(null, 10));
    }

    private static byte[] Hash(byte seed) => [.. Enumerable.Range(0, 32).Select(i => (byte)(seed + i))];

    private static StoredToken Token(
        string id, FleetRole role, byte[]? hash = null, string? target = null, DateTimeOffset? expires = null, DateTimeOffset? created = null) =>
        new(id, hash ?? Hash(0), role, $"{id} for tests", target, created ?? Now, expires, null, null, "tester");

    private static IssuedCertificate Certificate(string serial, string target, DateTimeOffset? notAfter = null) =>
        new(serial, target, Now.AddMinutes(-1), notAfter ?? Now.AddDays(1), Now.AddMinutes(-1), null);

    private static AuditRecord Audit(DateTimeOffset at, string method, string @object) =>
        new(0, at, "token:x", "operator", method, @object, "started", "");
}
