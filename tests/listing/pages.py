"""What the shared page cache's tests read off a storefront page."""


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _tools(html) -> str:
    """The header's account links and basket (the visitor's own part)."""
    return html.split('class="site-header__tools"')[1].split("</nav>")[0]
