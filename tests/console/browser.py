"""Headless Chromium from the operating system's packages, driven by Selenium: one a module
(``chromium_driver``), each test in a fresh window of it (``fresh_window``).

Selenium is pointed at ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` and never downloads
a browser (``SE_OFFLINE``). Without them the browser tests skip locally and fail under CI.
"""

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Where every screenshot is copied as well, for people to review (``ACTIONTRAIL_CONSOLE_SHOTS``;
#: unset: only the test's own output folder has them).
REVIEW_FOLDER = os.environ.get("ACTIONTRAIL_CONSOLE_SHOTS")
WIDTH = 1280


def require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Browser:
    """A Chromium window on the console, saving a screenshot of each page it is asked to."""

    def __init__(self, driver: webdriver.Chrome, base_url: str, shots: Path, label: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self.shots = shots
        self.label = label
        self.downloads = shots / "downloads"

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def find(self, css: str) -> Any:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[Any]:
        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def heading(self) -> str:
        return str(self.find("h1").text)

    def path(self) -> str:
        return str(self.driver.current_url).removeprefix(self.base_url)

    def submit(self, css: str) -> None:
        """Click a form's button and wait for the next page to load."""
        self.driver.execute_script("window.leftBehind = true")  # gone once the next page loads
        self.find(css).click()
        WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return !window.leftBehind && document.readyState === 'complete'"
            )
        )

    def fill(self, field_id: str, value: str) -> None:
        field = self.find(f"#{field_id}")
        field.clear()
        field.send_keys(value)

    def fill_by_name(self, name: str, value: str) -> None:
        field = self.find(f"[name='{name}']")
        field.clear()
        field.send_keys(value)

    def errors(self) -> list[str]:
        """The console's errors since last asked (``SEVERE`` browser log entries)."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def page_is_clean(self, name: str) -> None:
        """Screenshot the whole page as ``name`` and check it logged no console error."""
        self.screenshot(name)
        assert self.errors() == [], f"console errors on {name}"

    def screenshot(self, name: str) -> Path:
        self.driver.set_window_size(WIDTH, 800)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(WIDTH, max(800, min(int(height) + 100, 6000)))
        target = self.shots / f"{self.label}-{name}.png"
        self.driver.save_screenshot(str(target))
        if REVIEW_FOLDER:
            Path(REVIEW_FOLDER).mkdir(parents=True, exist_ok=True)
            shutil.copy(target, Path(REVIEW_FOLDER) / target.name)
        return target

    def downloaded(self, name: str, timeout: float = 15) -> Path:
        target = self.downloads / name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if target.exists() and not list(self.downloads.glob("*.crdownload")):
                return target
            time.sleep(0.1)
        raise AssertionError(f"{name} was not downloaded: {list(self.downloads.iterdir())}")


@contextmanager
def chromium_driver() -> Iterator[webdriver.Chrome]:
    """A headless Chromium, quit on exit: one serves a module's tests (``fresh_window``)."""
    require_chromium()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never downloads anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WIDTH},900",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), port=free_port())
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def fresh_window(driver: webdriver.Chrome, base_url: str, shots: Path, label: str) -> Browser:
    """The driver as a new profile would have it: one blank window, no cookie (of any site),
    cache, site data, console log or emulated media left by an earlier test, and downloads
    going to this test's ``shots`` folder."""
    for handle in driver.window_handles[1:]:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(driver.window_handles[0])
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd(
        "Storage.clearDataForOrigin", {"origin": base_url, "storageTypes": "all"}
    )
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    driver.set_window_size(WIDTH, 900)
    driver.get_log("browser")  # read, so ``errors`` holds only this test's
    shots.mkdir(parents=True, exist_ok=True)
    browser = Browser(driver, base_url, shots, label)
    browser.downloads.mkdir(exist_ok=True)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(browser.downloads)},
    )
    return browser
