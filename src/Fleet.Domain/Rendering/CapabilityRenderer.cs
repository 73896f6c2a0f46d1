using Fleet.Domain.Expressions;
using Fleet.Domain.Model;

namespace Fleet.Domain.Rendering;

/// <summary>Compiles a capability revision once, so rendering it for thousands of targets only evaluates.</summary>
public sealed class CapabilityRenderer(IExpressionEngine engine)
{
    public CompiledCapability Compile(CapabilitySpec spec, long revision)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new CompiledCapability(spec, revision, engine);
    }
}
