"""The basket page's form as a browser posts it back: every line with its id and quantity as shown,
then the quantities a test changes ({line index: value})."""


def basket_as_posted(formset, changed: dict[int, str]) -> dict:
    data = {formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()}
    for form in formset.forms:
        data[form.add_prefix("id")] = form.instance.pk
        data[form.add_prefix("quantity")] = form.instance.quantity
    for index, value in changed.items():
        data[formset.forms[index].add_prefix("quantity")] = value
    return data
