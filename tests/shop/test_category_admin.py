"""The admin's category tree loads a node's children by id; an id that is no number, or names no
category, is a 404, not treebeard's ValueError (found by the bad-input crawl)."""
import pytest
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("parent_id", ["abc", "1e3", "-1", "99999999999999999999999", "999999"])
def test_children_of_a_bogus_node_are_not_found(admin_client, parent_id):
    assert admin_client.get(f"/admin/catalogue/category/children/{parent_id}/").status_code == 404


def test_children_of_a_real_node_are_listed(admin_client):
    parent = Category.add_root(name="Đồ uống")
    parent.add_child(name="Chè Shan tuyết")
    answer = admin_client.get(f"/admin/catalogue/category/children/{parent.pk}/")
    assert answer.status_code == 200
    assert "Chè Shan tuyết" in answer.json()["result_html"]
