package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The chat page in a real browser: headless Chromium from Debian ({@code chromium} and {@code
 * chromium-driver}), driven by Selenium with the driver given explicitly, so Selenium Manager never
 * downloads anything. Two pages chat; one crashes the room from its button; the chat goes on.
 *
 * <p>Without Chromium the test fails when {@code CI=true}, and is skipped otherwise.
 */
@SampleAppTest
final class BrowserTest {
  private static final Path CHROMIUM =
      Path.of(System.getProperty("chat.test.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("chat.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(15);

  @LocalServerPort int port;
  @TempDir Path profiles;
  private final List<WebDriver> drivers = new java.util.ArrayList<>();

  @BeforeAll
  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String message =
          "headless Chromium is needed for the browser test: "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " must exist (Debian: apt-get install -y chromium chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message + "; skipped because CI is not set");
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
  }

  @AfterEach
  void quit() {
    drivers.forEach(WebDriver::quit);
  }

  private WebDriver browser(String name) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + Files.createDirectories(profiles.resolve(name)));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    WebDriver driver = new ChromeDriver(service, options);
    drivers.add(driver);
    driver.get("http://127.0.0.1:" + port + "/");
    return driver;
  }

  private static WebDriverWait waiting(WebDriver driver) {
    return new WebDriverWait(driver, WAIT);
  }

  private static void signIn(WebDriver driver, String user, String room) {
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("use-user")).click();
    waiting(driver)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("current-user"), user));
    driver.findElement(By.id("room-name")).sendKeys(room);
    driver.findElement(By.id("join-room")).click();
    waiting(driver)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("socket-state"), "live"));
    waiting(driver).until(ExpectedConditions.elementToBeClickable(By.id("send")));
  }

  private static void send(WebDriver driver, String text) {
    WebElement input = driver.findElement(By.id("message"));
    input.sendKeys(text);
    driver.findElement(By.id("send")).click();
  }

  private static void awaitMessage(WebDriver driver, String text) {
    waiting(driver)
        .until(
            d ->
                d.findElements(By.cssSelector("#messages li .content")).stream()
                    .anyMatch(e -> e.getText().equals(text)));
  }

  @Test
  void twoPagesChatAndTheChatGoesOnAfterTheRoomIsCrashedFromThePage() throws IOException {
    String room = Api.unique("room");
    String alice = Api.unique("alice");
    String bob = Api.unique("bob");
    WebDriver first = browser("first");
    WebDriver second = browser("second");
    signIn(first, alice, room);
    signIn(second, bob, room);

    String greeting = "hello <b>bob</b> & '; DROP TABLE x; --";
    send(first, greeting);
    awaitMessage(second, greeting);
    assertThat(second.findElements(By.cssSelector("#messages b"))).as("HTML is escaped").isEmpty();

    first.findElement(By.id("crash-room")).click();
    waiting(first)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#tree li[data-child='" + room + "'] .restarts[data-restarts='1']")));

    send(second, "still here after the crash");
    awaitMessage(first, "still here after the crash");
    awaitMessage(second, "still here after the crash");
    assertThat(first.findElements(By.cssSelector("#messages li"))).hasSize(2);
  }

  @Test
  void aPageThatLostItsSocketShowsWhatWasPostedMeanwhileOnceItReconnects() throws IOException {
    Api api = new Api(port);
    String room = Api.unique("room");
    WebDriver page = browser("page");
    signIn(page, Api.unique("alice"), room);
    send(page, "before");
    awaitMessage(page, "before");

    ((JavascriptExecutor) page).executeScript("state.socket.close()");
    waiting(page)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("socket-state"), "reconnecting"));
    String bob = api.user();
    for (int i = 0; i < 3; i++) {
      api.message(room, bob, "while away " + i);
    }

    waiting(page)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("socket-state"), "live"));
    awaitMessage(page, "while away 2");
    assertThat(page.findElements(By.cssSelector("#messages li .content")))
        .extracting(WebElement::getText)
        .containsExactly("before", "while away 0", "while away 1", "while away 2");
  }
}
