"""The pure parts of `make bench`: reading wrk, the table, the HTML probes, the fallback loop.
No test asserts a time or a rate: they vary with the machine."""
import http.server
import threading

import pytest

from bench import load, report

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8701/catalogue/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.12ms   20.51ms 300.10ms   80.00%
    Req/Sec    22.50      5.10    30.00     70.00%
  135 requests in 3.01s, 4.50MB read
Requests/sec:     44.85
Transfer/sec:      1.49MB
"""

WRK_WITH_ERRORS = """Running 3s test @ http://127.0.0.1:8701/
  2 threads and 8 connections
  300 requests in 3.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 30
Requests/sec:    100.00
"""


def test_parse_wrk_reads_requests_per_second():
    result = load.parse_wrk(WRK_OUTPUT)
    assert result.rps == pytest.approx(44.85)
    assert result.requests == 135
    assert result.errors == 0


def test_parse_wrk_counts_only_good_answers():
    result = load.parse_wrk(WRK_WITH_ERRORS)
    assert result.errors == 33
    assert result.rps == pytest.approx(90.0)  # 30 of 300 answers were errors


def test_parse_wrk_without_a_summary_gives_no_number():
    assert load.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused").rps is None


def test_ratio_and_number_formatting():
    assert report.ratio(200.0, 100.0) == "2.00×"
    assert report.ratio(None, 100.0) == report.ratio(5.0, None) == report.ratio(5.0, 0.0) == "—"
    assert report.fmt_rps(2268.4) == "2,268"
    assert report.fmt_rps(14.46) == "14.5"
    assert report.fmt_rps(None) == "—"


def test_table_has_a_header_and_one_aligned_line_per_page():
    rows = [
        report.Row("hello-world ceiling", 800.0, 2300.0, 1),
        report.Row("/search/?q=ca+phe", 50.0, None, 5, ["ours found 12", "plain: HTTP 500"]),
    ]
    lines = report.format_table(rows).splitlines()
    assert [c.strip() for c in lines[0].split("|")][:5] == ["page", "ours rps", "plain rps", "ratio (ours/plain)", "our queries"]
    assert len(lines) == 4
    assert "0.35×" in lines[2] and "2,300" in lines[2]
    assert "—" in lines[3] and "ours found 12; plain: HTTP 500" in lines[3]
    assert len({line.index("|") for line in lines if "|" in line}) == 1  # columns line up


def test_first_product_link_skips_category_and_header_links():
    html = (
        '<a href="/catalogue/category/ca-phe_3/">Cà phê</a><a href="/catalogue/">All</a>'
        '<article class="product_pod"><a href="/catalogue/ca-phe-arabica-moc-chau-mau-7_57/">x</a></article>'
    )
    assert report.first_product_link(html) == "/catalogue/ca-phe-arabica-moc-chau-mau-7_57/"
    assert report.first_product_link("<p>nothing</p>") is None


def test_found_count_reads_oscars_results_line_else_counts_cards():
    page = '<form method="get"> Tìm thấy <strong>236</strong> kết quả</form>' + '<article class="product_pod">' * 24
    assert report.found_count(page) == "236"
    assert report.found_count('<form method="get"><p>Found <strong>0</strong> results.</p></form>') == "0"
    assert report.found_count('<article class="product_pod">' * 3) == "≥3"


def test_load_refuses_any_host_but_localhost():
    with pytest.raises(ValueError):
        load.local_target("http://example.com/")
    assert load.local_target("http://127.0.0.1:8000/search/?q=a") == ("127.0.0.1", 8000, "/search/?q=a")


class _Hello(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the loop expects

    def do_GET(self):
        body = b"hello" if self.path == "/" else b"no"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_builtin_loop_against_a_tiny_local_server(local_server):
    result = load.builtin_load(local_server + "/", 0.3, connections=2)
    assert result.requests > 0 and result.errors == 0 and result.rps > 0
    capped = load.builtin_load(local_server + "/", 5, connections=2, max_requests=10)
    assert capped.requests == 10  # bounded by count as well as time
    missing = load.builtin_load(local_server + "/missing", 0.3, connections=1)
    assert missing.errors == missing.requests > 0 and missing.rps == 0
