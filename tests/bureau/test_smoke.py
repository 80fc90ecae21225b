from django.urls import reverse


def test_home_page_shows_the_person_in_chinese(client_as, cast):
    response = client_as("staff").get(reverse("home"))
    assert response.status_code == 200
    assert cast["staff"].name in response.content.decode()
