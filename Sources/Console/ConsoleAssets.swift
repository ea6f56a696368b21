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
          var steps = {};
          function median(values) {
            var sorted = values.slice().sort(function (a, b) { return a - b; });
            var middle = Math.floor(sorted.length / 2);
            return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
          }
          function duration(ms) {
            var seconds = Math.max(1, Math.round(ms / 1000));
            return seconds < 60 ? seconds + " s" : Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
          }
          // A for_each step's line: items done of the total, and the ETA from the median item time.
          function showProgress(name, step) {
            var id = "progress-" + name;
            var line = document.getElementById(id);
            if (!line) {
              line = document.createElement("p"); line.id = id; line.className = "progress";
              var list = document.getElementById("live-steps");
              (list || status).after(line);
            }
            var done = Object.keys(step.items).length;
            var text = name + ": " + done + (step.total ? " / " + step.total : "") + " " + (status.dataset.items || "items done");
            var left = step.total ? step.total - done : 0;
            if (left > 0 && step.ms.length) {
              var eta = median(step.ms) * left / (step.parallel || 1);
              text += " · " + (status.dataset.eta || "about %s left").replace("%s", duration(eta));
            }
            line.textContent = text;
            line.dataset.done = String(done);
            line.dataset.total = String(step.total || "");
          }
          var source = new EventSource("/runs/" + encodeURIComponent(status.dataset.run) + "/events");
          source.addEventListener("step", function (event) {
            var data = JSON.parse(event.data);
            var row = document.createElement("li");
            row.textContent = data.step + (data.item === null ? "" : "[" + data.item + "]")
              + (data.attempt > 1 ? " attempt " + data.attempt : "") + ": " + data.status;
            var list = document.getElementById("live-steps");
            if (!list) { list = document.createElement("ul"); list.id = "live-steps"; status.after(list); }
            list.appendChild(row);
            if (data.item !== null) {
              var step = steps[data.step] || (steps[data.step] = { items: {}, ms: [], total: 0, parallel: 1 });
              if (data.status !== "failed") { step.items[data.item] = true; step.ms.push(data.ms || 0); }
              if (data.total) { step.total = data.total; step.parallel = data.parallel || 1; }
              showProgress(data.step, step);
            }
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
        del { background: #fde2e1; color: #8a1c12; } ins { background: #dcf5e3; color: #11532a; text-decoration: none; }
        td.changed { font-weight: bold; } .progress { color: #243b53; }
        """
}
