"""The marketer's journey through `baton serve` in a real headless Chromium (ConsoleBrowserTests).

Usage: console_journey.py BASE_URL SCREENSHOT_FOLDER

Opens the console in Korean, starts campaign-copy from its form with Korean inputs (the product
name carries markup that must stay text), watches the run reach its review, edits the draft in the
review inbox and approves it, downloads copy.ko.md and checks it holds the edit, and opens the run
detail to find the review in its history, then its diff page, and checks the live page's for_each
progress and ETA line against a stand-in event stream. A screenshot of each page goes to
SCREENSHOT_FOLDER.
Prints "journey ok" at the end; any failed check raises.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service

base, shots = sys.argv[1].rstrip("/"), sys.argv[2]
os.makedirs(shots, exist_ok=True)
options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=ko-KR"]:
    options.add_argument(argument)
options.add_experimental_option("prefs", {"intl.accept_languages": "ko-KR,ko"})
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"
EDIT = "[검토 반영] 한빛천 야간 개장은 밤 10시까지"


def shot(name):
    driver.save_screenshot(os.path.join(shots, name))


def no_script_ran():
    try:
        alert = driver.switch_to.alert
        raise AssertionError("an alert opened: " + alert.text)
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0, "markup became an element"


def wait_for(condition, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what + ": " + driver.page_source[:2000])


try:
    driver.get(base + "/")
    assert "워크플로" in driver.page_source, "the workflows page is not in Korean"
    shot("01-workflows.png")
    driver.find_element(By.LINK_TEXT, "campaign-copy").click()
    product = driver.find_element(By.ID, "input-product")
    product.clear()
    product.send_keys("한빛시 야간 개장 " + MARKUP)
    audience = driver.find_element(By.ID, "input-audience")
    audience.clear()
    audience.send_keys("퇴근길 직장인")
    shot("02-run-form.png")
    driver.find_element(By.ID, "start").click()
    wait_for(lambda: "/runs/" in driver.current_url, "the run page")
    run_url = driver.current_url
    # Steps appear one by one through server-sent events while the run goes on.
    wait_for(lambda: driver.execute_script("return document.querySelectorAll('#live-steps li').length") > 0, "a step reported live")
    shot("03-run-live.png")
    # The page follows the run through server-sent events and reloads when it stops at the review.
    wait_for(lambda: 'data-status="waiting"' in driver.page_source, "the run to wait for its review")
    no_script_ran()
    shot("04-run-waiting.png")

    driver.get(base + "/reviews")
    text = driver.find_element(By.CSS_SELECTOR, "textarea.review-text")
    assert text.get_attribute("value").strip(), "the review shows no text"
    text.send_keys("\n" + EDIT)
    driver.find_element(By.NAME, "reviewer").send_keys("김지은")
    driver.find_element(By.CSS_SELECTOR, "input.note").send_keys("야간 개장 시간 추가")
    shot("05-review-inbox.png")
    driver.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
    wait_for(lambda: 'data-status="succeeded"' in driver.page_source, "the continued run to succeed")
    # The decision continues the same run (not a new one).
    assert driver.current_url == run_url, driver.current_url + " is not " + run_url
    no_script_ran()

    link = driver.find_element(By.XPATH, "//a[contains(@href, 'copy.ko.md')]").get_attribute("href")
    body = driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", link)
    assert EDIT in body, "the downloaded copy lacks the edit: " + body[:500]
    history = driver.find_element(By.XPATH, "//h2[text()='검토 이력']/following-sibling::table[1]").text
    assert "edited" in history and "김지은" in history and "야간 개장 시간 추가" in history, history
    assert "검증됨" in driver.page_source, "the audit chain is not shown as verified"
    shot("06-run-detail.png")
    # The diff page (the run against itself: every output the same) shows the inputs as text too.
    run_id = run_url.rstrip("/").rsplit("/", 1)[1]
    driver.get(base + "/diff?a=" + run_id + "&b=" + run_id)
    assert "실행 비교" in driver.title, driver.title
    no_script_ran()
    shot("07-diff.png")

    # The live page's for_each progress line and ETA (app.js), fed by a stand-in EventSource:
    # a run that is really running and slow enough to watch would make this test minutes long.
    # Three items of a step of ten done in 1 s each, two at a time: 3 / 10, about 4 s left
    # (median 1000 ms x 7 left / 2 = 3.5 s, rounded); a failed item does not count as done.
    driver.get(run_url)
    driver.execute_script("""
        window.EventSource = function (url) { window.fakeSource = this; this.url = url; this.listeners = {};
          this.addEventListener = function (name, listener) { this.listeners[name] = listener; };
          this.close = function () { this.closed = true; }; };
        document.getElementById("run-status").dataset.status = "running";
        document.dispatchEvent(new Event("DOMContentLoaded"));
        var step = function (fields) { window.fakeSource.listeners.step({ data: JSON.stringify(fields) }); };
        for (var item = 0; item < 3; item++) {
          step({ step: "translate", item: item, attempt: 1, status: "succeeded", ms: 1000, total: 10, parallel: 2 });
        }
        step({ step: "translate", item: 3, attempt: 1, status: "failed", ms: 50, total: 10, parallel: 2 });
        """)
    assert driver.execute_script("return window.fakeSource.url") == "/runs/" + run_id + "/events"
    progress = driver.find_element(By.ID, "progress-translate")
    assert progress.text == "translate: 3 / 10 항목 완료 · 약 4 s 남음", progress.text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#live-steps li")) == 4
    no_script_ran()
    shot("08-progress.png")
    print("journey ok")
finally:
    driver.quit()
