using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>Why a document's text is not a YAML tree we accept, and where (positions relative to the document).</summary>
internal sealed record YamlSyntaxError(Mark Position, string Message);
