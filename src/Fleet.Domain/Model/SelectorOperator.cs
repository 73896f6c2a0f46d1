namespace Fleet.Domain.Model;

public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
