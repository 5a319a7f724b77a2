from allocsim.cli import main

main()
