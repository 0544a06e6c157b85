using System.Globalization;

namespace Traceability.Service.Tests.Hosting;

/// <summary>Linux's nice value of a task, read from /proc (<c>/proc/self</c>, <c>/proc/self/task/TID</c>, <c>/proc/thread-self</c>).</summary>
internal static class ProcNice
{
    /// <summary>The 19th field of the task's stat line (counted from the fields after the command's closing parenthesis).</summary>
    public static int Of(string task)
    {
        var stat = File.ReadAllText(Path.Combine(task, "stat"));
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
    }
}
