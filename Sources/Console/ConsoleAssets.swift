import HTTPServer

/// The console's script and style sheet, compiled into the binary: nothing is loaded from
/// elsewhere, so it works offline and the CSP can forbid every other origin and inline code.
enum ConsoleAssets {
    static func response(_ name: String) -> HTTPResponse {
        switch name {
        case "app.js": return .text(script, type: "text/javascript; charset=utf-8")
        case "style.css": return .text(style, type: "text/css; charset=utf-8")
        default: return .text("404\n", status: 404)
        }
    }

    /// Follows a running run through `/runs/ID/events`: each recorded attempt is listed as it
    /// arrives, and the page reloads shortly after the run ends (or stops at a review).
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var status = document.getElementById("run-status");
          if (!status || status.dataset.status !== "running") return;
          var counts = {};
          var source = new EventSource("/runs/" + encodeURIComponent(status.dataset.run) + "/events");
          source.addEventListener("step", function (event) {
            var data = JSON.parse(event.data);
            var row = document.createElement("li");
            var done = (counts[data.step] = (counts[data.step] || 0) + (data.item === null ? 0 : 1));
            row.textContent = data.step + (data.item === null ? "" : "[" + data.item + "] (" + done + " items done)")
              + (data.attempt > 1 ? " attempt " + data.attempt : "") + ": " + data.status;
            var list = document.getElementById("live-steps");
            if (!list) { list = document.createElement("ul"); list.id = "live-steps"; status.after(list); }
            list.appendChild(row);
          });
          source.addEventListener("run", function (event) {
            var data = JSON.parse(event.data);
            if (data.status !== "running") {
              source.close();
              var shown = status.querySelector("b");
              if (shown) shown.textContent = data.status;
              // A moment to see the last steps arrive, then the full page (outputs, files, reviews).
              window.setTimeout(function () { window.location.reload(); }, 700);
            }
          });
        });
        """

    static let style = """
        body { font-family: "Noto Sans KR", "NanumGothic", system-ui, sans-serif; margin: 0; color: #1d1d1f; }
        nav { background: #243b53; padding: 0.6em 1em; } nav a { color: #fff; margin-right: 1.2em; text-decoration: none; }
        main { padding: 1em 2em; max-width: 72em; }
        table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ccd; padding: 0.3em 0.6em; text-align: left; }
        pre { background: #f4f5f7; padding: 0.6em; white-space: pre-wrap; word-break: break-word; }
        textarea { width: 100%; font: inherit; } .error { color: #b00020; } .ok { color: #11772d; }
        .status-succeeded { color: #11772d; } .status-failed { color: #b00020; } .status-waiting { color: #b25e00; }
        section.review { border: 1px solid #ccd; padding: 0.5em 1em; margin: 1em 0; }
        """
}
