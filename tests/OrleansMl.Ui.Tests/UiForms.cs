using System.Net;
using System.Text.RegularExpressions;

namespace OrleansMl.Ui.Tests;

/// <summary>The UI's forms as a browser posts them, over plain HTTP.</summary>
internal static partial class UiForms
{
    /// <summary>Signs in the way a browser does: the sign-in form's anti-forgery token, then the post; the answer after its redirects.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string key)
    {
        var token = TokenField().Match(await http.GetStringAsync("/sign-in"));
        Assert.True(token.Success, "the sign-in form carries an anti-forgery token");
        return await http.PostAsync("/sign-in", new FormUrlEncodedContent(
        [
            new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value)), new("Key", key), new("_handler", "sign-in"),
        ]));
    }

    /// <summary>Posts a page's form by its name with a valid anti-forgery token taken from another form of the page (as a crafted request would).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string form, params KeyValuePair<string, string>[] fields)
    {
        var token = TokenField().Match(await http.GetStringAsync(path));
        Assert.True(token.Success, $"{path} carries an anti-forgery token");
        return await http.PostAsync(path, new FormUrlEncodedContent(
            [new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value)), new("_handler", form), .. fields]));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
