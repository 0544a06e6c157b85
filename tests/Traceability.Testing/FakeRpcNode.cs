using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Traceability.Testing;

/// <summary>
/// A JSON-RPC node in memory, for a <c>ChainRpc</c> built over it as its HTTP handler: it reads a call or a batch of
/// calls and answers each with <see cref="Answer"/>, which sets the <c>result</c> or the <c>error</c> of an answer that
/// already carries the call's <c>jsonrpc</c> and <c>id</c>, or returns an HTTP answer of its own instead (a node that
/// is down, a proxy's 502).
/// </summary>
public abstract class FakeRpcNode : HttpMessageHandler
{
    /// <summary>Answers <paramref name="method"/>: sets <paramref name="answer"/>'s result or error and returns null, or returns the whole HTTP answer.</summary>
    protected abstract HttpResponseMessage? Answer(string method, JArray parameters, JObject answer);

    /// <summary>An HTTP 200 answer holding <paramref name="json"/>.</summary>
    public static HttpResponseMessage Json(JToken json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json.ToString(), Encoding.UTF8, "application/json") };

    /// <summary>An HTTP error answer, such as a proxy's 502 in front of a node that is down.</summary>
    public static HttpResponseMessage Http(HttpStatusCode status) => new(status) { Content = new StringContent(status.ToString()) };

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = JToken.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var answers = new JArray();
        foreach (var call in body is JArray batch ? batch.Cast<JObject>() : [(JObject)body])
        {
            var answer = new JObject { ["jsonrpc"] = "2.0", ["id"] = call["id"] };
            if (Answer((string)call["method"]!, call["params"] as JArray ?? [], answer) is { } own) return own;
            answers.Add(answer);
        }
        return Json(body is JArray ? answers : answers[0]);
    }
}
