using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Research.Serving;

/// <summary>
/// Per-client rate limiting with ASP.NET Core's limiter: a token bucket of <c>N</c> requests refilled by <c>N</c>
/// every second for each client address, no queue; a refused request gets 429 problem details with a
/// <c>Retry-After</c> header (whole seconds). <c>/health</c>, <c>/ready</c> and <c>/metrics</c> are not limited.
/// </summary>
internal static class RateLimit
{
    private static readonly string[] Exempt = ["/health", "/ready", "/metrics"];

    /// <summary>Registers the limiter for <paramref name="perSecond"/> requests per second per client.</summary>
    public static void Add(IServiceCollection services, int perSecond) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            Exempt.Any(p => context.Request.Path.StartsWithSegments(p))
                ? RateLimitPartition.GetNoLimiter("exempt")
                : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "local", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
                }));
        o.OnRejected = async (rejected, cancel) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var problem = new RequestProblem(StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This client is limited to {perSecond} requests per second (--rate-limit); retry after {seconds} s.", "$");
            await ServingApp.Problem(problem).ExecuteAsync(rejected.HttpContext);
        };
    });
}
