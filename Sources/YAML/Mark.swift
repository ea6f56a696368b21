import Base

/// Where a YAML node starts: the project's one position type under the name libyaml and YAML
/// libraries use for it.
public typealias Mark = SourcePosition
