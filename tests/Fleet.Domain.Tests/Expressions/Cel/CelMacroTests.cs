namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>has, all, exists, exists_one, map (two and three arguments) and filter, over lists and map keys, with scoping.</summary>
public sealed class CelMacroTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "has(m.a)", "true" },
        { "has(m.zz)", "false" },
        { "has(m.c.d)", "true" },
        { "has({'a': null}.a)", "true" },
        { "has(labels.env)", "true" },
        { "[1, 2, 3].all(x, x > 0)", "true" },
        { "[1, 2, 3].all(x, x > 1)", "false" },
        { "[].all(x, false)", "true" },
        { "[1, 2, 3].exists(x, x == 2)", "true" },
        { "[1, 2, 3].exists(x, x == 5)", "false" },
        { "[].exists(x, true)", "false" },
        { "[1, 2, 3].exists_one(x, x > 2)", "true" },
        { "[1, 2, 3].exists_one(x, x > 1)", "false" },
        { "[].exists_one(x, true)", "false" },
        { "[1, 2, 3].map(x, x * 10)", "[10,20,30]" },
        { "[1, 2, 3].map(x, x > 1, x * 10)", "[20,30]" },
        { "[1, 2, 3].filter(x, x % 2 == 1)", "[1,3]" },
        { "[].map(x, x)", "[]" },
        { "{'a': 1, 'b': 2}.all(k, k.size() == 1)", "true" },
        { "{'a': 1, 'b': 2}.exists(k, k == 'b')", "true" },
        { "{'a': 1, 'b': 2}.map(k, k + k)", "[\"aa\",\"bb\"]" },
        { "{'a': 1, 'b': 2}.filter(k, k != 'a')", "[\"b\"]" },
        { "m.filter(k, k == 'a').size()", "1" },
        { "labels.exists(k, labels[k] == 'dev')", "true" },
        { "[[1, 2], [3]].map(x, x.map(y, y + 1))", "[[2,3],[4]]" },
        { "[1, 2].map(x, [10, 20].map(y, x + y))", "[[11,21],[12,22]]" },
        { "[1, 2].map(i, [3].map(i, i))", "[[3],[3]]" },
        { "[1].exists(i, i == 1) && i == 7", "true" },
        { "[1].map(x, i)", "[7]" },
        { "l.map(l, l * 2)", "[2,4,6]" },
        { "[0].exists(i, .i == 7)", "true" },
        { "[1, 2, 3].map(x, x * 2).filter(x, x > 2).size()", "2" },
        { "['a', 'b'].all(x, x in ['a', 'b', 'c'])", "true" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_Macro_GivesValue(string expression, string expected) => Assert.Equal(expected, Cel.Json(expression));
}
